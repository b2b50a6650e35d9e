"""Optional language-model backend: an OpenAI-compatible chat-completions server proposes codes.

Off by default, and for local or intranet servers (Ollama, vLLM, llama.cpp): only loopback and
private addresses are contacted unless `allow_remote`. The prompt is built from the codebook's
definitions, inclusion and exclusion criteria and examples; the answer must be JSON whose quotes
are found in the text (a quote that is not found is discarded and counted). Every document is
asked before anything is written, so any failure leaves the project unchanged.
"""

import hashlib
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlparse

from sqlmodel import Session, select

from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.core.quotes import locate_quote
from qualcode.i18n import _
from qualcode.services.coders import AI_PREFIX
from qualcode.services.suggest.applying import resolve_documents
from qualcode.services.suggest.layer import Proposal, write_proposals
from qualcode.services.suggest.rows import AssistantApplied, QuoteCounts
from qualcode.store.db import Project
from qualcode.store.mapped import saved_id
from qualcode.store.models import Code, Document, Unit, utcnow

PROMPT_VERSION = "qualcode-llm-1"


class BackendError(QualcodeError):
    """The language-model server failed or answered something unusable; nothing was written."""


def check_url(url: str, allow_remote: bool) -> str:
    """The URL if it may be contacted: http(s), and a loopback or private address unless allowed."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValidationError(
            _("--url must be an http(s) URL of a chat-completions server, not {url!r}").format(url=url)
        )
    if allow_remote:
        return url.rstrip("/")
    try:
        infos = socket.getaddrinfo(parsed.hostname, parsed.port or 80, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ValidationError(
            _("cannot resolve {hostname}: {exc}").format(hostname=parsed.hostname, exc=exc)
        ) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not (address.is_loopback or address.is_private):
            raise ValidationError(
                _(
                    "{hostname} ({address}) is not a loopback or private address: interview text would leave your network; pass --allow-remote if that is allowed"
                ).format(hostname=parsed.hostname, address=address)
            )
    return url.rstrip("/")


def codebook_prompt(session: Session, keys: list[str] | None) -> tuple[str, list[str]]:
    """The system prompt describing the codable codes for a language model, and their keys. Refused when no
    codable code is chosen."""
    rows = session.exec(select(Code).where(Code.codable, Code.retired == False).order_by(Code.key)).all()  # noqa: E712
    if keys:
        rows = [r for r in rows if r.key in set(keys)]
    if not rows:
        raise ValidationError(_("no codable codes to suggest (load a codebook, or check --codes)"))
    lines = [
        "You code interview transcripts with this codebook. For each code, quote the exact passages of the "
        "text it applies to. Answer only with JSON: "
        '{"codings": [{"code": "<code key>", "quote": "<exact text copied from the transcript>"}]}. '
        "Use only these code keys; quote the transcript exactly; no commentary.",
        "",
    ]
    for c in rows:
        lines.append(f"## {c.key}: {c.name_en} / {c.name_zh}")
        for label, value in (
            ("Definition", c.definition or c.short_definition),
            ("Include", c.inclusion),
            ("Exclude", c.exclusion),
            ("Example", c.example_zh or c.example_en),
        ):
            if value:
                lines.append(f"{label}: {value}")
    return "\n".join(lines), [r.key for r in rows]


def pseudonymise(text: str, names: list[str]) -> str:
    """Replace each name by a same-length placeholder, so offsets in the answer still fit the text."""
    for name in sorted({n for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, "〇" * len(name))
    return text


def _chat(url: str, model: str, system: str, user: str, temperature: float, timeout: float) -> str:
    body = json.dumps(
        {
            "model": model,
            "temperature": temperature,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {"type": "json_object"},
        },
        ensure_ascii=False,
    ).encode("utf-8")
    request = urllib.request.Request(
        f"{url}/chat/completions", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (checked URL)
            payload = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise BackendError(
            _("the language-model server answered HTTP {code} ({reason})").format(
                code=exc.code, reason=exc.reason
            )
        ) from exc
    except TimeoutError as exc:
        raise BackendError(
            _("the language-model server did not answer within {timeout:g} s").format(timeout=timeout)
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise BackendError(
                _("the language-model server did not answer within {timeout:g} s").format(timeout=timeout)
            ) from exc
        raise BackendError(
            _("cannot reach the language-model server: {reason}").format(reason=exc.reason)
        ) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackendError(_("the language-model server's reply is not JSON")) from exc
    try:
        return str(payload["choices"][0]["message"]["content"])
    except (KeyError, IndexError, TypeError) as exc:
        raise BackendError(_("the reply is not a chat completion (no choices[0].message.content)")) from exc


def _codings(content: str, document: str) -> list[dict[str, Any]]:
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BackendError(
            _("the model's answer for {document} is not valid JSON").format(document=document)
        ) from exc
    items = data.get("codings") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BackendError(
            _('the model\'s answer for {document} has no list "codings" of objects').format(document=document)
        )
    return items


def apply_llm(
    project: Project,
    *,
    url: str,
    model: str,
    docs: list[str] | None = None,
    codes: list[str] | None = None,
    temperature: float = 0.0,
    timeout: float = 120.0,
    allow_remote: bool = False,
    pseudonymise_names: bool = False,
    actor: str | None = None,
) -> AssistantApplied:
    """Ask the server for codings of each document; write them as suggestions of `ai:<model>`."""
    base = check_url(url, allow_remote)
    if not model.strip():
        raise ValidationError(_("--model must name the server's model"))
    with project.read() as session:
        doc_ids = resolve_documents(session, docs)
        system, keys = codebook_prompt(session, codes)
        code_ids = {
            k: saved_id(i) for i, k in session.exec(select(Code.id, Code.key)).all() if k in set(keys)
        }
        texts = {
            d: (n, t) for d, n, t in session.exec(select(Document.id, Document.name, Document.text)).all()
        }
        speakers = [s for s in session.exec(select(Unit.speaker).distinct()).all() if s]
    prompt_hash = hashlib.sha256(f"{PROMPT_VERSION}\n{system}".encode()).hexdigest()
    proposals: list[Proposal] = []
    counts = QuoteCounts(quotes=0, not_found=0, unknown_code=0)
    for doc_id in doc_ids:
        name, text = texts[doc_id]
        sent = pseudonymise(text, speakers) if pseudonymise_names else text
        asked = utcnow().isoformat()
        started = time.perf_counter()
        items = _codings(_chat(base, model, system, sent, temperature, timeout), name)
        seconds = round(time.perf_counter() - started, 3)
        for item in items:
            counts["quotes"] += 1
            key, quote = item.get("code"), item.get("quote")
            if key not in code_ids:
                counts["unknown_code"] += 1
                continue
            span = locate_quote(sent, quote) if isinstance(quote, str) else None
            if span is None:
                counts["not_found"] += 1
                continue
            proposals.append(
                Proposal(
                    doc_id,
                    code_ids[key],
                    span[0],
                    span[1],
                    None,
                    {
                        "backend": "openai-compatible",
                        "server": urlparse(base).netloc,
                        "model": model,
                        "prompt_hash": prompt_hash,
                        "temperature": temperature,
                        "asked_at": asked,
                        "seconds": seconds,
                        "pseudonymised": pseudonymise_names,
                    },
                )
            )
    owner = f"{AI_PREFIX}{model}"[:200]

    def work(session: Session) -> AssistantApplied:
        written = write_proposals(session, owner, proposals, replace_open_in=set(doc_ids), actor=actor)
        return {"coder": owner, "documents": len(doc_ids), "prompt_hash": prompt_hash, **counts, **written}

    return project.transact(work)
