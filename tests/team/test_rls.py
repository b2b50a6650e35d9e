"""Row-level security on PostgreSQL: a coder's own login cannot read other coders' work."""

import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qualcode.cli import cli
from qualcode.core.errors import QualcodeError
from qualcode.services.coders import add_coder
from qualcode.services.coding.memos import add_memo
from qualcode.services.coding.segments import add_segment, list_segments, remove_segment, update_segment
from qualcode.services.team.access import set_blind
from qualcode.services.team.logins import add_login, list_logins, setup_rls
from qualcode.store.db import open_project
from tests.team.support import make_project

pytestmark = pytest.mark.postgres
# Roles are cluster-wide and tests may run in parallel: every coder name gets a per-test suffix.
SUFFIX = "_" + uuid.uuid4().hex[:6]
ALICE, BOB, LEAD, CAROL = (f"{n}{SUFFIX}" for n in ("alice", "bob", "lead", "carol"))
NASTY = 'x"; DROP TABLE segments; --' + SUFFIX
CHINESE = "王老师" + SUFFIX


def _as(url: str, login: str, password: str | None = None) -> str:
    return make_url(url).set(username=login, password=password).render_as_string(hide_password=False)


def _rows(url: str, query: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query)).all()]
    finally:
        engine.dispose()


@pytest.fixture
def team_project(pg_database_url: str):
    project = make_project(
        pg_database_url, coders={ALICE: "coder", BOB: "coder", LEAD: "lead", NASTY: "coder", CHINESE: "coder"}
    )
    for n, coder in enumerate([ALICE, BOB, NASTY, CHINESE]):
        add_segment(project, coder=coder, document="interview-01", code="TAL.CURR", start=n, end=n + 5)
        add_memo(project, coder=coder, target_type="document", target="interview-01", text=f"memo by {coder}")
    add_segment(project, coder=LEAD, document="interview-02", code="TEC.LAB", start=0, end=4)
    set_blind(project, "on", actor=LEAD)
    logins = {row["coder"]: row for row in setup_rls(project)}
    yield project, pg_database_url, logins
    project.dispose()
    engine = create_engine(pg_database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        roles = conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname LIKE :s"), {"s": f"%{SUFFIX}%"}
        ).scalars()
        for role in list(roles):
            quoted = conn.dialect.identifier_preparer.quote_identifier(role)
            conn.execute(text(f"DROP OWNED BY {quoted} CASCADE"))
            conn.execute(text(f"DROP ROLE {quoted}"))
    engine.dispose()


def test_coder_login_reads_only_own_rows_with_plain_sql(team_project) -> None:
    project, url, logins = team_project
    assert set(logins) == {ALICE, BOB, LEAD, NASTY, CHINESE}
    segments = "SELECT c.name FROM segments s JOIN coders c ON c.id = s.coder_id"
    for coder in (ALICE, NASTY, CHINESE):
        login_url = _as(url, logins[coder]["login"])
        assert {r[0] for r in _rows(login_url, segments)} == {coder}
        assert {r[0] for r in _rows(login_url, "SELECT text FROM memos")} == {f"memo by {coder}"}
        assert {
            r[0] for r in _rows(login_url, "SELECT actor FROM events WHERE entity IN ('segment', 'memo')")
        } == {coder}
        assert len(_rows(login_url, "SELECT * FROM document_status")) == 1
        with pytest.raises(Exception, match="permission denied"):
            _rows(login_url, "SELECT * FROM qualcode_logins")
    lead_url = _as(url, logins[LEAD]["login"])
    assert {r[0] for r in _rows(lead_url, segments)} == {ALICE, BOB, LEAD, NASTY, CHINESE}
    # the nasty name was a name, not SQL
    assert len(_rows(url, "SELECT * FROM segments")) == 5


def test_reveal_and_blind_off_open_the_rows_to_coders(team_project) -> None:
    project, url, logins = team_project
    alice_url = _as(url, logins[ALICE]["login"])
    set_blind(project, "reveal", actor=LEAD)
    assert len(_rows(alice_url, "SELECT * FROM segments")) == 5
    set_blind(project, "on", actor=LEAD)
    assert len(_rows(alice_url, "SELECT * FROM segments")) == 1
    set_blind(project, "off", actor=LEAD)
    assert len(_rows(alice_url, "SELECT * FROM segments")) == 5


def test_services_work_through_a_coder_login_and_cannot_cross_it(team_project) -> None:
    project, url, logins = team_project
    mine = open_project(_as(url, logins[ALICE]["login"]))
    try:
        add_segment(mine, coder=ALICE, document="interview-03", code="ADM.FUND", start=2, end=9)
        remove_segment(mine, coder=ALICE, document="interview-01", code="TAL.CURR", start=0, end=5)
        assert {r["coder"] for r in list_segments(mine, viewer=ALICE)} == {ALICE}
        # even a lying viewer name gets only what the login may read
        assert {r["coder"] for r in list_segments(mine, viewer=LEAD)} == {ALICE}
        with pytest.raises(QualcodeError, match="your database login may not do this"):
            add_segment(mine, coder=BOB, document="interview-03", code="ADM.FUND", start=2, end=9)
        with pytest.raises(QualcodeError, match="your database login may not do this"):
            set_blind(mine, "off", actor=LEAD)
        set_blind(project, "off", actor=LEAD)  # now alice's login may read bob's rows, still not change them
        bob_segment = next(r["id"] for r in list_segments(mine, coder=BOB))
        with pytest.raises(QualcodeError, match="your database login may not change it"):
            update_segment(mine, coder=BOB, segment_id=bob_segment, memo="not mine")
    finally:
        mine.dispose()
    assert (
        len(
            _rows(
                url, f"SELECT * FROM segments WHERE coder_id = (SELECT id FROM coders WHERE name = '{BOB}')"
            )
        )
        == 1
    )


def test_add_login_with_password_and_refusals(team_project) -> None:
    project, url, logins = team_project
    add_coder(project, CAROL)
    row = add_login(project, CAROL, role=CAROL + "_login", generate_password=True)
    assert row["login"] == CAROL + "_login" and len(row["password"]) >= 20
    assert {"login": CAROL + "_login", "coder": CAROL, "role": "coder"} in list_logins(project)
    assert _rows(_as(url, CAROL + "_login", row["password"]), "SELECT count(*) FROM segments") == [(0,)]
    quoted = "it's'; DROP ROLE postgres; --"
    add_login(project, CAROL, role=CAROL + "_login", password=quoted)
    assert _rows(url, f"SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = '{CAROL}_login'") == [
        (True,)
    ]
    owner = make_url(url).username
    with pytest.raises(QualcodeError, match="superuser or bypasses row-level security"):
        add_login(project, CAROL, role=owner)
    with pytest.raises(QualcodeError, match="already belongs to another coder"):
        add_login(project, CAROL, role=logins[ALICE]["login"])
    with pytest.raises(QualcodeError, match="longer than PostgreSQL's 63 bytes"):
        add_login(project, CAROL, role="长" * 30)
    with pytest.raises(QualcodeError, match="unknown coder 'nobody'"):
        add_login(project, "nobody")


def test_setup_rls_cli_and_sqlite_refusal(team_project, tmp_path) -> None:
    project, url, logins = team_project
    runner = CliRunner()
    result = runner.invoke(cli, ["team", "setup-rls", url])  # idempotent re-run
    assert result.exit_code == 0, result.output
    assert f"updated login '{ALICE}' for coder {ALICE}" in result.output
    sqlite_project = make_project(str(tmp_path / "local"))
    sqlite_project.dispose()
    result = runner.invoke(cli, ["team", "setup-rls", str(tmp_path / "local")])
    assert isinstance(result.exception, QualcodeError) and "need PostgreSQL" in str(result.exception)


def test_suggestions_stay_hidden_from_blind_coders_until_assisted_coding(team_project) -> None:
    """The machine coder learns from other coders' judgements: on the server too, a blind coder
    reads its models, suggestions and suggested segments only after a lead turns assisting on."""
    from qualcode.services.suggest.layer import set_assisted

    project, url, logins = team_project
    engine = create_engine(url)
    with engine.begin() as conn:
        model = conn.execute(
            text(
                "INSERT INTO coders (name, role, created_at) VALUES ('model:t', 'coder', now()) RETURNING id"
            )
        ).scalar()
        doc = conn.execute(text("SELECT id FROM documents WHERE name = 'interview-01'")).scalar()
        code = conn.execute(text("SELECT id FROM codes WHERE key = 'TAL.CURR'")).scalar()
        segment = conn.execute(
            text(
                'INSERT INTO segments (document_id, coder_id, code_id, start, "end", created_at, updated_at) '
                "VALUES (:d, :c, :k, 10, 20, now(), now()) RETURNING id"
            ),
            {"d": doc, "c": model, "k": code},
        ).scalar()
        conn.execute(
            text(
                "INSERT INTO suggestions (segment_id, probability, provenance, status) VALUES (:s, 0.9, '{}', 'open')"
            ),
            {"s": segment},
        )
        conn.execute(
            text(
                "INSERT INTO suggest_models (created_at, source, unit, meta, blob) VALUES (now(), 'union', 'answer', '{}', '')"
            )
        )
    engine.dispose()
    alice_url = _as(url, logins[ALICE]["login"])
    machine = "SELECT s.id FROM segments s JOIN coders c ON c.id = s.coder_id WHERE c.name = 'model:t'"
    assert _rows(alice_url, "SELECT * FROM suggestions") == []
    assert _rows(alice_url, "SELECT id FROM suggest_models") == []
    assert _rows(alice_url, machine) == []
    lead_url = _as(url, logins[LEAD]["login"])
    assert len(_rows(lead_url, "SELECT * FROM suggestions")) == 1
    set_assisted(project, True, actor=LEAD)
    assert len(_rows(alice_url, "SELECT * FROM suggestions")) == 1
    assert len(_rows(alice_url, machine)) == 1
    assert len(_rows(alice_url, "SELECT id FROM suggest_models")) == 1
    assert {
        r[0] for r in _rows(alice_url, "SELECT c.name FROM segments s JOIN coders c ON c.id = s.coder_id")
    } == {
        ALICE,
        "model:t",
    }  # assisting opens the machine's layer, never another person's coding


def test_login_rows_have_their_declared_shape(team_project) -> None:
    from qualcode.services.team.rows import LoginRow
    from tests.seams.test_typed_rows import assert_shape

    project, _url, _logins = team_project
    assert_shape(setup_rls(project, generate_passwords=True), LoginRow)
    assert_shape(add_login(project, ALICE, role=ALICE + "_rows"), LoginRow)
