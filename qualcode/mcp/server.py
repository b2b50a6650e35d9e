"""`qualcode mcp PROJECT --as NAME`: a Model Context Protocol server over stdio.

Resources are read-only and show what NAME may see (blind mode applies as on every other
surface). The only tool that writes proposes a coding: it lands in the suggestion layer of the
pseudo-coder `ai:mcp`, for a person to accept or reject; nothing an assistant does changes
anyone's coding.
"""

import json
from typing import Any

from qualcode.core.errors import ValidationError
from qualcode.core.quotes import locate_quote
from qualcode.services.suggest.assist import require
from qualcode.store.db import Project
from qualcode.store.mapped import id_of

OWNER = "ai:mcp"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def build_server(project: Project, viewer: str) -> Any:
    """An MCPServer bound to `project`, acting as `viewer` (who must be a known person)."""
    require("mcp")
    from mcp.server import MCPServer

    from qualcode.services.agreement.project_report import agreement_report
    from qualcode.services.codebook.curation import list_codes
    from qualcode.services.coders import find_coder, is_pseudo_coder
    from qualcode.services.coding.segments import list_segments
    from qualcode.services.coding.workbench import open_document
    from qualcode.services.lookup import find_code, find_document
    from qualcode.services.sources.documents import list_documents
    from qualcode.services.suggest.layer import Proposal, write_proposals

    with project.read() as session:
        if is_pseudo_coder(find_coder(session, viewer).name):
            raise ValidationError(f"--as must name a person, not the pseudo-coder {viewer!r}")

    server = MCPServer(
        "qualcode",
        instructions=(
            "Read interview transcripts, their units, the codebook and the coding the user may see. "
            "Propose codings with propose_coding; a person reviews every proposal."
        ),
    )

    @server.resource("qualcode://documents", mime_type="application/json")
    def documents() -> str:
        """The project's documents."""
        return _json(list_documents(project))

    @server.resource("qualcode://documents/{name}", mime_type="text/plain")
    def document_text(name: str) -> str:
        """The text of one document (offsets are code points into it)."""
        return str(open_document(project, name)["text"])

    @server.resource("qualcode://units/{name}", mime_type="application/json")
    def units(name: str) -> str:
        """Speaker turns of one document, with guide questions."""
        return _json(open_document(project, name)["units"])

    @server.resource("qualcode://codebook", mime_type="application/json")
    def codebook() -> str:
        """Codes with definitions, inclusion and exclusion criteria and examples."""
        return _json(list_codes(project))

    @server.resource("qualcode://segments/{name}", mime_type="application/json")
    def segments(name: str) -> str:
        """Coded segments of one document that this person may see (blind mode applies)."""
        return _json(list_segments(project, document=name, viewer=viewer))

    @server.resource("qualcode://agreement", mime_type="application/json")
    def agreement() -> str:
        """The agreement report (in blind mode, for leads only)."""
        return _json(agreement_report(project, viewer=viewer))

    @server.tool()
    def propose_coding(document: str, code: str, quote: str, rationale: str = "") -> dict[str, Any]:
        """Propose applying `code` to the passage `quote` (copied from the document's text).
        The proposal is a suggestion by ai:mcp that a person accepts or rejects."""
        with project.read() as session:
            doc = find_document(session, document)
            key = find_code(session, code)
            span = locate_quote(doc.text, quote)
            if span is None:
                raise ValidationError(f"the quote was not found in {doc.name}; copy it from the text")
            proposal = Proposal(
                id_of(doc),
                id_of(key),
                span[0],
                span[1],
                None,
                {"backend": "mcp", "requested_by": viewer, "rationale": rationale[:2000]},
            )

        def work(session: Any) -> dict[str, Any]:
            written = write_proposals(session, OWNER, [proposal], actor=viewer)
            return {"document": document, "code": code, "start": span[0], "end": span[1], **written}

        return project.transact(work)

    return server


def run_stdio(project: Project, viewer: str) -> None:
    build_server(project, viewer).run("stdio")
