"""The MCP server, in process with the SDK's own client: read-only resources, propose-only tool."""

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from qualcode.mcp.server import build_server
from qualcode.services.suggest.layer import list_suggestions
from qualcode.services.team.access import set_blind
from tests.suggest_corpus import PHRASE, build_corpus, human_rows


def _text(result: Any) -> str:
    return result.contents[0].text


def test_resources_and_proposals(tmp_path: Path) -> None:
    import mcp

    project, _ = build_corpus(tmp_path, n_docs=2, answers=3)
    before = human_rows(project)
    server = build_server(project, "lin")

    async def main() -> None:
        async with mcp.Client(server, raise_exceptions=True) as client:
            docs = json.loads(_text(await client.read_resource("qualcode://documents")))
            assert [d["name"] for d in docs] == ["d00", "d01"]
            text = _text(await client.read_resource("qualcode://documents/d00"))
            assert text.startswith("访谈者")
            units = json.loads(_text(await client.read_resource("qualcode://units/d00")))
            assert len(units) == 6
            book = json.loads(_text(await client.read_resource("qualcode://codebook")))
            assert {"WORD", "RAND"} <= {c["key"] for c in book}
            segs = json.loads(_text(await client.read_resource("qualcode://segments/d00")))
            assert {s["coder"] for s in segs} >= {"lin", "chen"}
            tools = {t.name for t in (await client.list_tools()).tools}
            assert tools == {"propose_coding"}
            quote = text.split("\n")[1][4:12]
            result = await client.call_tool(
                "propose_coding", {"document": "d00", "code": "WORD", "quote": quote}
            )
            assert not result.is_error if hasattr(result, "is_error") else not result.isError
            bad = await client.call_tool(
                "propose_coding", {"document": "d00", "code": "WORD", "quote": "不在文本里的话语"}
            )
            assert getattr(bad, "is_error", getattr(bad, "isError", False))

    asyncio.run(main())
    rows = list_suggestions(project, viewer="lin")
    assert len(rows) == 1 and rows[0]["owner"] == "ai:mcp" and rows[0]["provenance"]["requested_by"] == "lin"
    assert human_rows(project) == before
    assert PHRASE  # the corpus phrase is available to tests that need a known quote


def test_blind_mode_limits_what_the_assistant_sees(tmp_path: Path) -> None:
    import mcp

    project, _ = build_corpus(tmp_path, n_docs=1, answers=2)
    set_blind(project, "on", actor="lead")
    server = build_server(project, "lin")

    async def main() -> None:
        async with mcp.Client(server, raise_exceptions=False) as client:
            segs = json.loads(_text(await client.read_resource("qualcode://segments/d00")))
            assert {s["coder"] for s in segs} <= {"lin"}
            with pytest.raises(Exception, match="agreement"):  # refused: blind mode, lin is no lead
                await client.read_resource("qualcode://agreement")

    asyncio.run(main())
    with pytest.raises(Exception, match="person"):
        build_server(project, "consensus")
