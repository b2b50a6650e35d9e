"""Checks on the demo project content in projects/demo/.

The demo is plain text (YAML and transcripts) written by hand, so these tests
guard what a hand edit can silently break: every quoted segment must still be
found, character for character, inside a respondent turn of its transcript;
every code key must exist in the codebook; and the two fictional consortia must
keep the resource profiles that the demo claims for them (Haibin
government-coordinated, Qingshan leading-enterprise-driven).

The parsing here is deliberately independent of the product's importer: it
restates the demo's file format in a few lines so the content can be checked
even before (or without) the importer.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "projects" / "demo"
TRANSCRIPTS = DEMO / "transcripts"
CODINGS = DEMO / "codings"
SHIPPED_CODEBOOK = REPO / "codebooks" / "industry-education-consortium.yaml"
RESEARCH_CODEBOOK = REPO.parent / "shared" / "research" / "domain-codebook.yaml"

EN_LABELS = {"Interviewer: ": "interviewer", "Respondent: ": "respondent"}
ZH_LABELS = {"访谈者：": "interviewer", "受访者：": "respondent"}
EN_HEADER_KEYS = {"Case", "Consortium", "City", "Role", "Date", "Interviewer", "Language"}
ZH_HEADER_KEYS = {"案例", "联合体", "城市", "身份", "日期", "访谈者", "语言"}
ROLES_EN = {"government official", "college leader", "corporate executive", "research expert"}
ROLES_ZH = {"政府官员", "院校领导", "企业高管", "科研专家"}
ZH_TO_EN_ROLE = dict(
    zip(
        ["政府官员", "院校领导", "企业高管", "科研专家"],
        ["government official", "college leader", "corporate executive", "research expert"],
        strict=True,
    )
)
CODERS = {"lin": "coder", "chen": "coder", "wang": "lead"}
RESOURCE_BRANCHES = ("TAL", "TEC", "ADM")
LEAD_CODES = ("ACT.GOV", "ACT.PARK", "ACT.ENT", "ACT.SCH")


@dataclass(frozen=True)
class Transcript:
    name: str
    text: str
    header: dict[str, str]
    language: str
    consortium: str
    role: str  # English role name
    respondent_spans: tuple[tuple[int, int], ...]  # half-open spans of respondent turn text
    interviewer_turns: tuple[str, ...]

    @property
    def question_refs(self) -> list[str]:
        """Question keys named by a marker (`Q3.` / `问题3：`) in interviewer turns."""
        return [f"Q{n}" for turn in self.interviewer_turns for n in re.findall(r"(?:Q|问题)(\d+)", turn)]


def parse_transcript(path: Path) -> Transcript:
    text = path.read_bytes().decode("utf-8")
    head, sep, body = text.partition("\n\n")
    assert sep, f"{path.name}: no blank line after the header"
    header: dict[str, str] = {}
    for line in head.split("\n"):
        match = re.fullmatch(r"([^:：]+)(?:: |：)(.+)", line)
        assert match, f"{path.name}: bad header line {line!r}"
        header[match[1]] = match[2].strip()
    chinese = "联合体" in header
    labels = ZH_LABELS if chinese else EN_LABELS
    # (speaker, offset of the label, offset of the turn text)
    marks: list[tuple[str, int, int]] = []
    pos = len(head) + len(sep)
    for line in body.split("\n"):
        for label, speaker in labels.items():
            if line.startswith(label):
                marks.append((speaker, pos, pos + len(label)))
                break
        else:
            assert not line or marks, f"{path.name}: text before the first turn: {line[:30]!r}"
        pos += len(line) + 1
    spans: list[tuple[int, int]] = []
    asked: list[str] = []
    for i, (speaker, _, start) in enumerate(marks):
        stop = marks[i + 1][1] if i + 1 < len(marks) else len(text)
        end = start + len(text[start:stop].rstrip())
        if speaker == "respondent":
            spans.append((start, end))
        else:
            asked.append(text[start:end])
    return Transcript(
        name=path.stem,
        text=text,
        header=header,
        language="zh" if chinese else "en",
        consortium=header["联合体" if chinese else "Consortium"],
        role=ZH_TO_EN_ROLE[header["身份"]] if chinese else header["Role"],
        respondent_spans=tuple(spans),
        interviewer_turns=tuple(asked),
    )


def occurrences(text: str, quote: str) -> list[int]:
    found, start = [], text.find(quote)
    while start != -1:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def codebook_codes() -> frozenset[str]:
    """Codable (leaf) code keys from the shipped codebook, else the research copy.

    Two layouts are read: the shipped one (top-level `codes:` tree of `key`/`children`)
    and the research note's (`codebook: branches: categories: codes:` with `id`).
    """
    path = SHIPPED_CODEBOOK if SHIPPED_CODEBOOK.exists() else RESEARCH_CODEBOOK
    if not path.exists():
        pytest.skip("no codebook available (neither shipped nor ../shared)")
    data = load_yaml(path)
    roots = data["codes"] if "codes" in data else data["codebook"]["branches"]
    keys: set[str] = set()

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            below = node.get("children") or node.get("categories") or node.get("codes")
            if below:
                walk(below)
            else:
                keys.add(node.get("key") or node["id"])

    walk(roots)
    assert len(keys) >= 30, f"suspiciously few codes in {path}"
    return frozenset(keys)


@lru_cache(maxsize=1)
def transcripts() -> dict[str, Transcript]:
    return {p.stem: parse_transcript(p) for p in sorted(TRANSCRIPTS.glob("*.txt"))}


@lru_cache(maxsize=1)
def codings() -> dict[str, dict]:
    return {p.stem: load_yaml(p) for p in sorted(CODINGS.glob("*.yaml"))}


@dataclass(frozen=True)
class Located:
    doc: str
    code: str
    start: int
    end: int


def locate(seg: dict, docs: dict[str, Transcript]) -> Located:
    doc = docs[seg["doc"]]
    hits = occurrences(doc.text, seg["quote"])
    index = seg.get("occurrence", 1) - 1
    start = hits[index]
    return Located(seg["doc"], seg["code"], start, start + len(seg["quote"]))


def union_length(spans: list[tuple[int, int]]) -> int:
    total, current_end = 0, -1
    for start, end in sorted(spans):
        if end <= current_end:
            continue
        total += end - max(start, current_end)
        current_end = end
    return total


def case_profiles(coder: str) -> dict[str, dict[str, dict[str, float]]]:
    """Per consortium: dim shares (coverage, mean of role means) and lead-actor shares.

    Follows the typology proposal: per interview raw.X = union of branch-X coded
    characters / respondent characters; averaged within role, then across roles;
    normalised over TAL, TEC and ADM. Lead-actor shares are segment counts.
    """
    docs = transcripts()
    data = codings()[coder]
    by_doc: dict[str, list[Located]] = defaultdict(list)
    for seg in data["segments"]:
        if seg["doc"] not in data["done"]:
            continue  # an unfinished document would understate its coverage
        by_doc[seg["doc"]].append(locate(seg, docs))
    raw_by_role: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    act_counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(LEAD_CODES, 0))
    for name, segs in by_doc.items():
        doc = docs[name]
        respondent_chars = sum(end - start for start, end in doc.respondent_spans)
        for branch in RESOURCE_BRANCHES:
            spans = [(s.start, s.end) for s in segs if s.code.split(".")[0] == branch]
            raw_by_role[doc.consortium][doc.role][branch].append(union_length(spans) / respondent_chars)
        for s in segs:
            if s.code in LEAD_CODES:
                act_counts[doc.consortium][s.code] += 1
    profiles = {}
    for case, roles in raw_by_role.items():
        raw = {b: sum(sum(r[b]) / len(r[b]) for r in roles.values()) / len(roles) for b in RESOURCE_BRANCHES}
        total_raw = sum(raw.values())
        total_act = sum(act_counts[case].values())
        profiles[case] = {
            "dim": {b: raw[b] / total_raw for b in RESOURCE_BRANCHES},
            "act": {c.split(".")[1]: act_counts[case][c] / total_act for c in LEAD_CODES},
            "intensity": {"total": total_raw},
        }
    return profiles


def agreement(first: str, second: str, docs_subset: set[str] | None = None) -> float:
    """Share of `first`'s segments matched by `second` with the same code and overlapping span
    (overlap at least half of the shorter segment). Only documents both coders have coded."""
    docs = transcripts()
    data = codings()
    a = [locate(s, docs) for s in data[first]["segments"]]
    b = [locate(s, docs) for s in data[second]["segments"]]
    shared = {s.doc for s in a} & set(data[second]["done"])
    if docs_subset is not None:
        shared &= docs_subset
    a = [s for s in a if s.doc in shared]
    matched = 0
    for s in a:
        for t in b:
            if t.doc == s.doc and t.code == s.code:
                overlap = min(s.end, t.end) - max(s.start, t.start)
                if overlap >= 0.5 * min(s.end - s.start, t.end - t.start):
                    matched += 1
                    break
    return matched / len(a)


# ---------------------------------------------------------------- the tests


def test_files_present_and_parse() -> None:
    project = load_yaml(DEMO / "project.yaml")
    assert project["settings"]["case_attribute"] == "Consortium"
    assert (DEMO / project["guide"]).exists()
    assert (DEMO / "README.md").exists()
    guide = load_yaml(DEMO / "guide.yaml")
    keys = [q["key"] for q in guide["questions"]]
    assert 8 <= len(keys) <= 12
    assert keys == [f"Q{i}" for i in range(1, len(keys) + 1)]
    assert [q["order"] for q in guide["questions"]] == list(range(1, len(keys) + 1))
    for q in guide["questions"]:
        assert q["text_en"].strip() and q["text_zh"].strip()
    assert set(codings()) == set(CODERS)


def test_guide_code_keys_exist() -> None:
    codes = codebook_codes()
    for q in load_yaml(DEMO / "guide.yaml")["questions"]:
        if "code_key" in q:
            assert q["code_key"] in codes, q["key"]


def test_transcripts_format() -> None:
    docs = transcripts()
    assert len(docs) >= 8
    for doc in docs.values():
        raw = (TRANSCRIPTS / f"{doc.name}.txt").read_bytes()
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf"), doc.name
        assert doc.text == unicodedata.normalize("NFC", doc.text), doc.name
        assert 2500 <= len(doc.text) <= 5000, (doc.name, len(doc.text))
        expected = ZH_HEADER_KEYS if doc.language == "zh" else EN_HEADER_KEYS
        assert set(doc.header) == expected, doc.name
        assert doc.role in ROLES_EN
        assert len(doc.respondent_spans) >= 8, doc.name
        assert doc.name.endswith("-" + doc.language)
    by_case: dict[str, list[Transcript]] = defaultdict(list)
    for doc in docs.values():
        by_case[doc.consortium].append(doc)
    assert set(by_case) == {"HB-MARINE", "QS-AUTO"}
    for case, members in by_case.items():
        assert {d.role for d in members} == ROLES_EN, case
        assert sorted(d.language for d in members) == ["en", "en", "zh", "zh"], case


def test_transcripts_exercise_question_alignment() -> None:
    """Most interviewer turns name their question; some only paraphrase it, one interview
    skips a question and one turn merges two, so alignment has something to do."""
    docs = transcripts()
    guide_keys = [q["key"] for q in load_yaml(DEMO / "guide.yaml")["questions"]]
    skipped = [
        d.name
        for d in docs.values()
        if "Q6" not in d.question_refs
        and not any(re.search(r"transfer|转化", turn) for turn in d.interviewer_turns)
    ]
    assert skipped == ["qingshan-gov-en"]
    merged = [
        turn
        for d in docs.values()
        for turn in d.interviewer_turns
        if len(set(re.findall(r"(?:Q|问题)(\d+)", turn))) == 2
    ]
    assert len(merged) == 1
    for doc in docs.values():
        named = [r for r in doc.question_refs if r in guide_keys]
        assert len(named) >= 6, doc.name


def test_coding_files_shape() -> None:
    docs = transcripts()
    for coder, data in codings().items():
        assert data["coder"] == coder
        assert data["role"] == CODERS[coder]
        assert set(data["done"]) <= set(docs), coder
        for seg in data["segments"]:
            assert seg["doc"] in docs, (coder, seg)
            assert set(seg) <= {"doc", "code", "quote", "occurrence", "memo"}, seg
            assert isinstance(seg["quote"], str) and seg["quote"].strip()
            assert seg["quote"] == unicodedata.normalize("NFC", seg["quote"])
        keys = [(s["doc"], s["code"], s["quote"], s.get("occurrence", 1)) for s in data["segments"]]
        assert len(keys) == len(set(keys)), f"{coder}: duplicate segments"


def test_segment_codes_exist_and_are_codable() -> None:
    codes = codebook_codes()
    for coder, data in codings().items():
        for seg in data["segments"]:
            assert seg["code"] in codes, (coder, seg["code"])


def test_quotes_found_and_unambiguous() -> None:
    docs = transcripts()
    for coder, data in codings().items():
        for seg in data["segments"]:
            hits = occurrences(docs[seg["doc"]].text, seg["quote"])
            if "occurrence" in seg:
                assert len(hits) >= seg["occurrence"] >= 1, (coder, seg)
            else:
                assert len(hits) == 1, (coder, seg["doc"], seg["quote"], len(hits))


def test_quotes_lie_in_respondent_turns() -> None:
    docs = transcripts()
    for coder, data in codings().items():
        for seg in data["segments"]:
            loc = locate(seg, docs)
            assert any(s <= loc.start and loc.end <= e for s, e in docs[seg["doc"]].respondent_spans), (
                coder,
                seg["doc"],
                seg["quote"][:40],
            )


def test_coding_workload_matches_the_story() -> None:
    """lin finished all eight; chen left one unfinished; wang (lead) coded two per city."""
    docs = transcripts()
    data = codings()
    counts = {c: defaultdict(int) for c in data}
    for coder, d in data.items():
        for seg in d["segments"]:
            counts[coder][seg["doc"]] += 1
    assert set(data["lin"]["done"]) == set(docs)
    assert all(25 <= counts["lin"][n] <= 45 for n in docs), dict(counts["lin"])
    unfinished = set(docs) - set(data["chen"]["done"])
    assert len(unfinished) == 1
    (open_doc,) = unfinished
    assert 0 < counts["chen"][open_doc] < 15
    assert all(25 <= counts["chen"][n] <= 45 for n in data["chen"]["done"])
    wang_docs = set(data["wang"]["done"])
    assert wang_docs == set(counts["wang"])
    assert sorted(docs[n].consortium for n in wang_docs) == ["HB-MARINE"] * 2 + ["QS-AUTO"] * 2
    assert all(25 <= counts["wang"][n] <= 45 for n in wang_docs)
    for coder, d in data.items():
        assert sum(1 for s in d["segments"] if s.get("memo")) >= 3, coder


def test_coders_agree_substantially_but_not_perfectly() -> None:
    lin_vs_chen = agreement("lin", "chen")
    chen_vs_lin = agreement("chen", "lin")
    assert 0.70 <= lin_vs_chen <= 0.87, lin_vs_chen
    assert 0.70 <= chen_vs_lin <= 0.90, chen_vs_lin
    chen = {(s["doc"], s["code"], s["quote"]) for s in codings()["chen"]["segments"]}
    lin = codings()["lin"]["segments"]
    exact = sum(1 for s in lin if (s["doc"], s["code"], s["quote"]) in chen)
    assert exact < len(lin) * 0.85  # some boundaries differ


def test_typology_profiles_hold() -> None:
    """Haibin must come out government-coordinated and Qingshan leading-enterprise-driven
    under the rules of the typology proposal (GOV_LED and ENT_LED), for every coder
    who coded both cities."""
    for coder in ("lin", "chen", "wang"):
        profiles = case_profiles(coder)
        hb, qs = profiles["HB-MARINE"], profiles["QS-AUTO"]
        assert hb["dim"]["ADM"] >= 0.45 and hb["dim"]["ADM"] == max(hb["dim"].values()), (coder, hb)
        assert hb["act"]["GOV"] >= 0.35 and hb["act"]["GOV"] == max(hb["act"].values()), (coder, hb)
        assert qs["dim"]["TEC"] >= 0.40 and qs["dim"]["TEC"] == max(qs["dim"].values()), (coder, qs)
        assert qs["act"]["ENT"] >= 0.35 and qs["act"]["ENT"] == max(qs["act"].values()), (coder, qs)
        # and the other type's rule must not fire
        assert not (hb["act"]["ENT"] == max(hb["act"].values()) and hb["dim"]["TEC"] >= 0.35)
        assert not (qs["act"]["GOV"] == max(qs["act"].values()) and qs["dim"]["ADM"] >= 0.40)
        for p in (hb, qs):
            assert p["intensity"]["total"] >= 0.05


def test_checker_tells_speakers_apart() -> None:
    """Guard the checker itself: interviewer text and header text must not count as
    respondent text, or the turn check above could never fail."""
    for doc in transcripts().values():
        question = doc.interviewer_turns[1]
        start = doc.text.index(question)
        assert not any(s <= start < e for s, e in doc.respondent_spans), doc.name
        header_end = doc.text.index("\n\n")
        assert all(s > header_end for s, _ in doc.respondent_spans), doc.name
        first = doc.text[doc.respondent_spans[0][0] : doc.respondent_spans[0][1]]
        assert not first.startswith(("Respondent", "受访者")) and first.strip() == first
