"""The language-model backend against a chat-completions server on 127.0.0.1 started here.

Only 127.0.0.1 is ever contacted. Failures (timeouts, malformed JSON, HTTP errors) give one clear
error and write nothing; quotes that are not in the text are discarded and counted.
"""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from qualcode.core.errors import ValidationError
from qualcode.core.quotes import locate_quote
from qualcode.services.suggest.layer import list_suggestions
from qualcode.services.suggest.llm import BackendError, apply_llm, check_url, pseudonymise
from qualcode.store.db import Project
from tests.suggest_corpus import PHRASE, build_corpus, human_rows
from tests.test_stats_cli import qc


class Server:
    """Answers every request with `reply(body) -> (status, text, delay)`; records the requests."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: Any = lambda body: (200, _completion({"codings": []}), 0.0)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, **body})
                status, text, delay = outer.reply(body)
                time.sleep(delay)
                data = text.encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def _completion(content: Any) -> str:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]}, ensure_ascii=False)


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p, _ = build_corpus(tmp_path, n_docs=2, answers=4)
    return p


def _word_quotes(body: dict[str, Any]) -> list[dict[str, str]]:
    text = body["messages"][1]["content"]
    return [{"code": "WORD", "quote": PHRASE}] * (PHRASE in text) + [
        {"code": "WORD", "quote": "这句话不在文本里出现过的内容"},
        {"code": "NOPE", "quote": text[10:20]},
    ]


def test_codings_land_in_the_ai_layer_with_provenance(project: Project, server: Server) -> None:
    server.reply = lambda body: (200, _completion({"codings": _word_quotes(body)}), 0.0)
    before = human_rows(project)
    result = apply_llm(project, url=server.url, model="qwen-test", temperature=0.2)
    assert result["coder"] == "ai:qwen-test" and result["documents"] == 2
    assert result["not_found"] == 2 and result["unknown_code"] == 2
    rows = list_suggestions(project, viewer="lead")
    assert rows and all(r["owner"] == "ai:qwen-test" and r["text"] == PHRASE for r in rows)
    prov = rows[0]["provenance"]
    assert prov["model"] == "qwen-test" and prov["temperature"] == 0.2 and len(prov["prompt_hash"]) == 64
    assert prov["backend"] == "openai-compatible" and "asked_at" in prov
    assert human_rows(project) == before
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["model"] == "qwen-test"
    assert "WORD" in request["messages"][0]["content"] and "JSON" in request["messages"][0]["content"]


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (lambda body: (500, "oops", 0.0), "HTTP 500"),
        (lambda body: (200, "not json at all", 0.0), "not JSON"),
        (lambda body: (200, json.dumps({"no": "choices"}), 0.0), "not a chat completion"),
        (lambda body: (200, _completion("{codings: [broken"), 0.0), "not valid JSON"),
        (lambda body: (200, _completion({"codings": "WORD"}), 0.0), 'no list "codings"'),
        (lambda body: (200, _completion({"codings": []}), 3.0), "did not answer within"),
    ],
    ids=["http-error", "reply-not-json", "not-completion", "content-not-json", "wrong-shape", "timeout"],
)
def test_failures_are_one_clear_error_and_write_nothing(
    project: Project, server: Server, reply: Any, message: str
) -> None:
    calls = {"n": 0}

    def second_fails(body: dict[str, Any]) -> Any:  # the first document succeeds: still nothing written
        calls["n"] += 1
        return (200, _completion({"codings": _word_quotes(body)}), 0.0) if calls["n"] == 1 else reply(body)

    server.reply = second_fails
    before = human_rows(project)
    with pytest.raises(BackendError, match=message):
        apply_llm(project, url=server.url, model="m", timeout=1.0)
    assert list_suggestions(project, viewer="lead", status=None) == []
    assert human_rows(project) == before


def test_only_loopback_and_private_addresses_unless_allowed() -> None:
    assert check_url("http://127.0.0.1:8080/v1/", False) == "http://127.0.0.1:8080/v1"
    assert check_url("http://10.1.2.3/v1", False) == "http://10.1.2.3/v1"
    with pytest.raises(ValidationError, match="--allow-remote"):
        check_url("http://8.8.8.8/v1", False)
    assert check_url("http://8.8.8.8/v1", True) == "http://8.8.8.8/v1"  # checked, never contacted
    with pytest.raises(ValidationError, match="http"):
        check_url("file:///etc/passwd", False)


def test_cli_refuses_a_public_server_with_exit_2(project: Project) -> None:
    rc, _, err = qc(
        "suggest",
        "apply",
        str(project.folder),
        "--backend",
        "openai-compatible",
        "--url",
        "http://8.8.8.8/v1",
        "--model",
        "m",
    )
    assert rc == 2 and err.startswith("error:") and "--allow-remote" in err


def test_pseudonymisation_keeps_offsets_and_quotes_are_located() -> None:
    text = "访谈者：张三你好。\n受访者：我是李四，我们开设储能专业。"
    masked = pseudonymise(text, ["张三", "李四"])
    assert len(masked) == len(text) and "张三" not in masked and "李四" not in masked
    assert locate_quote(text, "开设储能专业") == (text.index("开设"), text.index("开设") + 6)
    assert locate_quote(text, "我们开设储能专业 。") is not None  # spacing changed by the model
    assert locate_quote(text, "完全无关的一句话") is None
