"""Who may do what, for every URL Renaksi answers.

Every URL pattern is read from the resolver; a pattern without a row in ``ROUTES`` fails the
test, so a new page cannot ship without saying who may use it. Each row is checked for every
role × method × {own agency, other agency, nonexistent object}:

* a role allowed on its own agency's object gets a success (2xx, or a redirect that is not the
  login page);
* anything else is refused: the anonymous visitor is sent to the login page, a member who may read
  but not act gets 403 or 404, and another agency's object answers exactly like an object that
  does not exist (same status, same body): 0 cross-agency successes;
* after every refused unsafe request the database holds exactly what it held before.

The home agency of every test user is KPU Provinsi Gorontalo; the other agency is a province
created for the test with a Kab/Kota of its own, so nothing links the two.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import MemberInvitation, Membership, Role
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.budget.models import Ceiling
from renaksi.exports.jobs import start_rollup_job
from renaksi.imports.sample import random_plan
from renaksi.imports.uploads import start_pending_import
from renaksi.planning.models import Plan
from renaksi.planning.services import save_tree

pytestmark = pytest.mark.django_db

HOME = "kpu-prov-gorontalo"
SITE_ADMIN = "site_admin"
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *[role.value for role in Role], SITE_ADMIN]
MEMBERS = {role.value for role in Role}
EVERY_MEMBER = MEMBERS | {SITE_ADMIN}
TARGETS = ("own", "other", "missing")


# -- the world of the test -------------------------------------------------------------------------


@dataclass
class World:
    """The objects each URL is asked about, for the home agency and for the other one."""

    agencies: dict[str, Agency]
    plans: dict[str, Plan]
    jobs: dict[str, Any]
    published: Plan  # an approved plan of the home agency, which publishes
    users: dict[str, Any] = field(default_factory=dict)

    def agency_code(self, target: str) -> str:
        return "tidak-ada" if target == "missing" else self.agencies[target].code

    def plan_id(self, target: str) -> int:
        return 999_999 if target == "missing" else self.plans[target].pk

    def line_id(self, target: str) -> int:
        if target == "missing":
            return 999_999
        return self.plans[target].sub_activities.order_by("position").first().pk  # type: ignore[union-attr]

    def membership_id(self, target: str) -> int:
        """A fresh member of the target agency for each request (a removal or deactivation by one
        role must not leave nothing for the next)."""
        if target == "missing":
            return 999_999
        user = get_user_model().objects.create_user(
            f"anggota-{uuid.uuid4().hex[:10]}", password="x-kata-sandi-123"
        )
        return Membership.objects.create(user=user, agency=self.agencies[target], role=Role.VIEWER).pk

    def job_id(self, target: str) -> uuid.UUID:
        return uuid.UUID(int=1) if target == "missing" else self.jobs[target].pk


@pytest.fixture
def world(settings, tmp_path: Path, django_user_model) -> Iterator[World]:
    settings.DATA_DIR = tmp_path / "data"
    settings.RENAKSI_JOBS_IMMEDIATE = True
    home = find_agency(HOME)
    other = Agency.objects.create(
        code="kpu-prov-contoh", name="KPU Provinsi Contoh", level=Agency.Level.PROVINCE
    )
    Agency.objects.create(
        code="kpu-kab-contoh", name="KPU Kabupaten Contoh", level=Agency.Level.REGENCY, parent=other
    )
    plans = {
        "own": save_tree(home, 2023, random_plan(1, 4), actor=OPERATOR),
        "other": save_tree(other, 2023, random_plan(2, 4), actor=OPERATOR),
    }
    operator = django_user_model.objects.create_superuser("operator-jobs", password="kata-sandi-uji-123")
    jobs = {"own": start_rollup_job(operator, home, 2023), "other": start_rollup_job(operator, other, 2023)}
    published = save_tree(home, 2022, random_plan(3, 3), actor=OPERATOR)
    published.status = Plan.Status.APPROVED
    published.save()
    home.publishes_plans = True
    home.save()
    users: dict[str, Any] = {}
    for role in MEMBERS:
        user = django_user_model.objects.create_user(f"user-{role}", password="kata-sandi-uji-123")
        Membership.objects.create(user=user, agency=home, role=role)
        users[role] = user
    users[SITE_ADMIN] = django_user_model.objects.create_superuser(
        "site-admin", password="kata-sandi-uji-123"
    )
    yield World({"own": home, "other": other}, plans, jobs, published, users)


# -- the table of routes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Who may use a URL. ``allowed`` maps a method to the roles that succeed on their own
    agency's object; ``args`` makes the URL's arguments for a target; ``data`` the POST body."""

    allowed: dict[str, frozenset[str]]
    args: Callable[[World, str], list[Any]] | None = None
    data: Callable[[World, str], dict[str, Any]] | None = None
    public: bool = False  # answers without login (then targets do not apply)
    ends_at_login: bool = False  # success is a redirect to the login page (logging out)


def _plan(world: World, target: str) -> list[Any]:
    return [world.plan_id(target)]


def _agency(world: World, target: str) -> list[Any]:
    return [world.agency_code(target)]


def _job(world: World, target: str) -> list[Any]:
    return [world.job_id(target)]


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


READERS = frozenset(EVERY_MEMBER)

ROUTES: dict[str, Route] = {
    # Choosing a language changes only the visitor's own cookie; a GET just goes back.
    "set_language": Route(
        {"GET": roles(ANONYMOUS, *EVERY_MEMBER), "POST": roles(ANONYMOUS, *EVERY_MEMBER)},
        data=lambda w, t: {"language": "en", "next": "/"},
        public=True,
    ),
    # The login form (a POST with no password is answered with the form and its errors).
    "accounts:login": Route(
        {"GET": roles(ANONYMOUS, *EVERY_MEMBER), "POST": roles(ANONYMOUS, *EVERY_MEMBER)}, public=True
    ),
    "accounts:logout": Route({"POST": READERS}, ends_at_login=True),
    # The code step of a login: without a password just accepted it sends a visitor back to the
    # login page (a logged-in user to the home page).
    "accounts:login_code": Route({"GET": READERS, "POST": READERS}, public=True),
    # Every user's own account: password change, authenticator app (none of it is agency data).
    "accounts:password_change": Route({"GET": READERS, "POST": READERS}),
    "accounts:security": Route({"GET": READERS}),
    "accounts:totp_start": Route({"POST": READERS}),
    "accounts:totp_confirm": Route({"POST": READERS}, data=lambda w, t: {"code": "000000"}),
    "accounts:totp_disable": Route({"POST": READERS}, data=lambda w, t: {"code": "000000"}),
    "portal:index": Route({"GET": roles(ANONYMOUS, *EVERY_MEMBER)}, public=True),
    "portal:plan_detail": Route(
        {"GET": roles(ANONYMOUS, *EVERY_MEMBER)}, args=lambda w, t: [w.published.pk], public=True
    ),
    "planning:agency_list": Route({"GET": READERS}),
    "planning:plan_detail": Route({"GET": READERS}, args=_plan),
    "exports:plan_download": Route({"GET": READERS}, args=lambda w, t: [w.plan_id(t), "csv"]),
    # The plan's XLSX or PDF by a job (a small plan's POST just goes to its download).
    "exports:plan_export_start": Route({"POST": READERS}, args=lambda w, t: [w.plan_id(t), "pdf"]),
    # Read-only roles (viewer, inspector) read roll-ups' pages but do not start them.
    "exports:rollup_start": Route(
        {"POST": roles(Role.AGENCY_ADMIN, Role.PLANNER, Role.PIC, Role.APPROVER, SITE_ADMIN)},
        args=_agency,
        data=lambda w, t: {"year": "2023"},
    ),
    "jobs:list": Route({"GET": READERS}),
    "jobs:detail": Route({"GET": READERS}, args=_job),
    "jobs:file": Route({"GET": READERS}, args=_job),
}


def _line(world: World, target: str) -> list[Any]:
    # The line of the target plan (a missing plan's "line" is missing too).
    return [world.plan_id(target), world.line_id(target)]


def _member(world: World, target: str) -> list[Any]:
    return [world.agency_code(target), world.membership_id(target)]


def _line_form(world: World, target: str) -> dict[str, Any]:
    return {
        "cost": "Rp 1.250.000",
        "budget_code": "",
        "remarks": "diubah",
        "person_in_charge": "",
        "months": ["3"],
    }


def _agency_settings(world: World, target: str) -> dict[str, Any]:
    name = "x" if target == "missing" else world.agencies[target].name
    return {"name": name, "time_zone": "Asia/Makassar", "publishes_plans": "on"}


def _new_agency(world: World, target: str) -> dict[str, Any]:
    code = f"kpu-kab-uji-{uuid.uuid4().hex[:8]}"
    return {
        "code": code,
        "name": code,
        "level": "regency",
        "parent": world.agencies["own"].pk,
        "time_zone": "Asia/Makassar",
    }


def _plan_file(world: World, target: str) -> dict[str, Any]:
    text = (Path(renaksi.cli.SEED_FILE)).read_bytes()
    return {"file": SimpleUploadedFile("rencana.txt", text, "text/plain"), "year": "2023", "replace": "on"}


def _pending(world: World, target: str) -> list[Any]:
    """A fresh upload waiting in the preview for each request (a commit or a discard uses it up)."""
    if target == "missing":
        return [uuid.UUID(int=1)]
    agency = world.agencies[target]
    upload = SimpleUploadedFile("rencana.txt", Path(renaksi.cli.SEED_FILE).read_bytes(), "text/plain")
    pending = start_pending_import(world.users[SITE_ADMIN], agency, upload, year=2023, replace=True)
    return [pending.pk]


def _new_invitation(world: World, target: str, token: str = "") -> MemberInvitation:
    """A waiting invitation of the target agency, to a name none of the test users has."""
    return MemberInvitation.objects.create(
        agency=world.agencies[target],
        username=f"diundang-{uuid.uuid4().hex[:8]}",
        role=Role.VIEWER,
        token_hash=hashlib.sha256((token or uuid.uuid4().hex).encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=7),
    )


def _invitation(world: World, target: str) -> list[Any]:
    return [999_999 if target == "missing" else _new_invitation(world, target).pk]


def _agency_invitation(world: World, target: str) -> list[Any]:
    return [world.agency_code(target), *_invitation(world, target)]


def _invitation_link(world: World, target: str) -> list[Any]:
    token = uuid.uuid4().hex
    _new_invitation(world, "own", token)
    return [token]


def _new_account(world: World, target: str) -> dict[str, Any]:
    return {
        "full_name": "Orang Baru",
        "new_password1": "Kuda-Lumping-77-x",
        "new_password2": "Kuda-Lumping-77-x",
    }


def _reference_file(world: World, target: str) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("kode.csv", b"kode;nama\n3358;Layanan Manajemen\n", "text/csv")}


EDITORS = roles(Role.AGENCY_ADMIN, Role.PLANNER, SITE_ADMIN)
APPROVERS = roles(Role.APPROVER, SITE_ADMIN)
ADMINS = roles(Role.AGENCY_ADMIN, SITE_ADMIN)
SITE_ADMINS = roles(SITE_ADMIN)

ROUTES.update(
    {
        # The plan's workflow: a step its status does not allow goes back to the plan with a message.
        "planning:plan_submit": Route({"POST": EDITORS}, args=_plan),
        "planning:plan_approve": Route({"POST": APPROVERS}, args=_plan),
        "planning:plan_return": Route(
            {"GET": APPROVERS, "POST": APPROVERS}, args=_plan, data=lambda w, t: {"reason": "Perbaiki target"}
        ),
        "planning:line_edit": Route({"GET": EDITORS, "POST": EDITORS}, args=_line, data=_line_form),
        "history:plan_history": Route({"GET": READERS}, args=_plan),
        "history:line_history": Route({"GET": READERS}, args=_line),
        # Management: agency admins for their own agency, site admins for everything.
        "manage:agency_list": Route({"GET": ADMINS}),
        "manage:agency_create": Route({"GET": SITE_ADMINS, "POST": SITE_ADMINS}, data=_new_agency),
        "manage:agency_settings": Route({"GET": ADMINS, "POST": ADMINS}, args=_agency, data=_agency_settings),
        "manage:members": Route({"GET": ADMINS}, args=_agency),
        "manage:member_invite": Route(
            {"POST": ADMINS},
            args=_agency,
            data=lambda w, t: {
                "username": f"baru-{uuid.uuid4().hex[:8]}",
                "full_name": "Pegawai Baru",
                "role": "viewer",
            },
        ),
        "manage:member_role": Route({"POST": ADMINS}, args=_member, data=lambda w, t: {"role": "planner"}),
        "manage:member_remove": Route({"POST": ADMINS}, args=_member),
        "manage:user_deactivate": Route({"POST": ADMINS}, args=_member),
        "manage:member_password_reset": Route({"POST": ADMINS}, args=_member),
        "manage:reference": Route({"GET": SITE_ADMINS}),
        "manage:login_locks": Route({"GET": SITE_ADMINS}),
        "manage:invitation_cancel": Route({"POST": ADMINS}, args=_agency_invitation),
        # One's own invitations; answering another name's invitation answers like a missing one.
        "accounts:invitations": Route({"GET": READERS}),
        "accounts:invitation_accept": Route({"POST": frozenset()}, args=_invitation),
        "accounts:invitation_decline": Route({"POST": frozenset()}, args=_invitation),
        # The link of an invitation: a visitor makes the invited account (a logged-in user is
        # only pointed to their own invitations).
        "accounts:invitation_open": Route(
            {"GET": roles(ANONYMOUS, *EVERY_MEMBER), "POST": roles(ANONYMOUS, *EVERY_MEMBER)},
            args=_invitation_link,
            data=_new_account,
            public=True,
        ),
        "manage:login_unlock": Route({"POST": SITE_ADMINS}, data=lambda w, t: {"address": "192.0.2.1"}),
        "manage:reference_preview": Route({"POST": SITE_ADMINS}, data=_reference_file),
        # Without a preview in the session it only says so and goes back: a success that writes nothing.
        "manage:reference_commit": Route({"POST": SITE_ADMINS}, data=lambda w, t: {"token": "x"}),
        # Importing a plan in the browser: whoever may edit the agency's plans.
        "imports:upload": Route({"GET": EDITORS, "POST": EDITORS}, args=_agency, data=_plan_file),
        "imports:pending": Route({"GET": EDITORS}, args=_pending),
        "imports:correct": Route(
            {"POST": EDITORS},
            args=_pending,
            data=lambda w, t: {"kind": "polarity", "indicator": "0.0.0", "polarity": "lower"},
        ),
        "imports:commit": Route({"POST": EDITORS}, args=_pending, data=lambda w, t: {"replace": "on"}),
        "imports:discard": Route({"POST": EDITORS}, args=_pending),
    }
)


# -- the plan's ceilings (pagu) and disbursement plan (RPD): read by every reader, written by editors


_new_ceiling_codes = itertools.count(1000)


def _ceiling(world: World, target: str) -> list[Any]:
    """The target plan and a ceiling of it (made for the request, before the fingerprint)."""
    if target == "missing":
        return [999_999, 999_999]
    plan = world.plans[target]
    ceiling = Ceiling.objects.of_plan(plan).first() or Ceiling.objects.create(
        plan=plan, code="3358", amount=1
    )
    return [plan.pk, ceiling.pk]


ROUTES.update(
    {
        "budget:ceilings": Route(
            {"GET": READERS, "POST": EDITORS},
            args=_plan,
            data=lambda w, t: {"code": str(next(_new_ceiling_codes)), "amount": "1.000.000"},
        ),
        "budget:ceiling_edit": Route(
            {"GET": EDITORS, "POST": EDITORS},
            args=_ceiling,
            data=lambda w, t: {"code": "3358", "amount": "2.000.000", "description": "diubah"},
        ),
        "budget:ceiling_import": Route(
            {"POST": EDITORS},
            args=_plan,
            data=lambda w, t: {
                "file": SimpleUploadedFile("pagu.csv", b"kode;pagu\n3358;1.000\n", "text/csv")
            },
        ),
        # Without a preview in the session it only says so and goes back: a success that writes nothing.
        "budget:ceiling_import_commit": Route(
            {"POST": EDITORS}, args=_plan, data=lambda w, t: {"token": "x"}
        ),
        "budget:rpd": Route({"GET": READERS}, args=_plan),
        "budget:rpd_download": Route({"GET": READERS}, args=lambda w, t: [w.plan_id(t), "csv"]),
        # "Spread over its months" on a line without a hand-entered row: a success that writes nothing.
        "budget:rpd_line": Route(
            {"GET": EDITORS, "POST": EDITORS}, args=_line, data=lambda w, t: {"spread": "on"}
        ),
    }
)


# The workflow's further steps and the versions (renaksi.planning.workflow_views): a step the
# plan's status does not allow goes back to the plan with a message, a success that writes nothing.
ROUTES.update(
    {
        "planning:plan_withdraw": Route({"POST": EDITORS}, args=_plan),
        "planning:plan_revise": Route(
            {"GET": EDITORS, "POST": EDITORS}, args=_plan, data=lambda w, t: {"reason": "Revisi Anggaran"}
        ),
        "planning:plan_versions": Route({"GET": READERS}, args=_plan),
        # Without a choice of versions: the one before the current one against the current one.
        "planning:version_diff": Route({"GET": READERS}, args=_plan),
        "planning:version_diff_xlsx": Route({"GET": READERS}, args=_plan),
    }
)


def _goal(world: World, target: str) -> list[Any]:
    if target == "missing":
        return [999_999, "sasaran", 999_999]
    plan = world.plans[target]
    return [plan.pk, "sasaran", plan.strategic_goals.order_by("position").first().pk]  # type: ignore[union-attr]


_new_plan_years = itertools.count(2030)

ROUTES.update(
    {
        # The plan editor (renaksi.planning.editor_urls).
        "editor:editor": Route({"GET": EDITORS}, args=_plan),
        "editor:check": Route({"GET": EDITORS}, args=_plan),
        "editor:add": Route(
            {"GET": EDITORS, "POST": EDITORS},
            args=lambda w, t: [w.plan_id(t), "sasaran"],
            data=lambda w, t: {"sasaran-baru-number": "9", "sasaran-baru-text": "Sasaran uji"},
        ),
        "editor:change": Route(
            {"GET": EDITORS, "POST": EDITORS}, args=_goal, data=lambda w, t: {"tindakan": "turun"}
        ),
        "editor:new_plan": Route(
            {"GET": EDITORS, "POST": EDITORS},
            args=_agency,
            data=lambda w, t: {"how": "kosong", "year": str(next(_new_plan_years))},
        ),
    }
)


# -- walking the resolver --------------------------------------------------------------------------


def url_names() -> set[str]:
    """Every named URL pattern, as ``namespace:name``; an unnamed pattern is reported by its route."""
    found: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace and pattern.namespace
                    else (pattern.namespace or namespace)
                )
                walk(pattern.url_patterns, inner or "")
            else:
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                found.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_url_has_a_row_in_the_authorization_matrix() -> None:
    names = url_names()
    assert names - set(ROUTES) == set(), "URLs without a row: say who may use them"
    assert set(ROUTES) - names == set(), "rows without a URL: remove them"


# -- checking ---------------------------------------------------------------------------------------


@functools.cache
def _tables() -> tuple[str, ...]:
    """The tables, read once: migrations are done before the first test asks."""
    return tuple(sorted(name for name in connection.introspection.table_names() if name != "django_session"))


def database_fingerprint() -> str:
    """A hash of every row of every table (the sessions excepted: a request may refresh its own)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from the database
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest.update(table.encode())
            digest.update("\n".join(rows).encode())
    return digest.hexdigest()


def browser(world: World, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


def call(client: Client, method: str, url: str, data: dict[str, Any] | None) -> Any:
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def succeeded(response: Any) -> bool:
    if 200 <= response.status_code < 300:
        return True
    return response.status_code in (301, 302, 303) and "/akun/masuk/" not in response.get("Location", "")


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_exactly_what_the_matrix_allows_and_nothing_across_agencies(
    world: World, name: str
) -> None:
    route = ROUTES[name]
    for method in ("GET", "POST"):
        allowed = route.allowed.get(method)
        for role in ROLES:
            targets = ("own",) if route.public or route.args is None else TARGETS
            answers: dict[str, tuple[int, bytes]] = {}
            for target in targets:
                url = reverse(name, args=route.args(world, target) if route.args else None)
                data = route.data(world, target) if route.data else None
                client = browser(world, role)  # logging in writes last_login: before the fingerprint
                before = database_fingerprint() if method == "POST" else None
                response = call(client, method, url, data)
                where = f"{role} {method} {url} ({target})"
                ok = succeeded(response) or (
                    route.ends_at_login and role != ANONYMOUS and response.status_code == 302
                )
                if allowed is None:
                    # A method the URL does not take: 405, or the login page first for a visitor.
                    expected = 302 if role == ANONYMOUS and not route.public else 405
                    assert response.status_code == expected, (
                        f"{where}: {response.status_code}, expected {expected}"
                    )
                    if expected == 302:
                        assert "/akun/masuk/" in response["Location"], where
                    if before is not None:
                        assert database_fingerprint() == before, f"{where} changed the database"
                elif role in allowed and (target == "own" or (target == "other" and role == SITE_ADMIN)):
                    # A site admin reads every agency; nobody else anything across agencies.
                    assert ok, f"{where}: {response.status_code}, expected success"
                else:
                    # Every cross-agency request of anyone but a site admin lands here: a success
                    # fails the test at once (0 cross-agency successes).
                    assert not ok, f"{where}: {response.status_code}, expected a refusal"
                    if role == ANONYMOUS:
                        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], where
                    else:
                        assert response.status_code in (403, 404), f"{where}: {response.status_code}"
                    if before is not None:
                        assert database_fingerprint() == before, f"{where} changed the database"
                answers[target] = (
                    response.status_code,
                    body(response) if response.status_code == 404 else b"",
                )
            if "other" in answers and role not in (ANONYMOUS, SITE_ADMIN):
                assert answers["other"] == answers["missing"], (
                    f"{role} {method} {name}: another agency's object must answer like a missing one"
                )


def test_there_is_no_django_admin_site_to_log_in_through(world: World) -> None:
    # Its login would skip the lockout and the second factor, and its forms the history.
    for role in (ANONYMOUS, SITE_ADMIN):
        for path in ("/admin/", "/admin/login/"):
            response = browser(world, role).get(path)
            assert response.status_code in (302, 404), (role, path)
            assert response.status_code == 404 or "/akun/masuk/" in response["Location"], (role, path)


@pytest.mark.parametrize("name", sorted(name for name, route in ROUTES.items() if "POST" in route.allowed))
def test_every_unsafe_route_refuses_a_post_without_a_csrf_token_and_changes_nothing(
    world: World, name: str
) -> None:
    route = ROUTES[name]
    for role in (ANONYMOUS, SITE_ADMIN) if route.public else (SITE_ADMIN,):
        client = Client(enforce_csrf_checks=True)
        if role != ANONYMOUS:
            client.force_login(world.users[role])
        url = reverse(name, args=route.args(world, "own") if route.args else None)
        before = database_fingerprint()
        response = client.post(url, route.data(world, "own") if route.data else {})
        assert response.status_code == 403, f"{role} POST {url} without a CSRF token: {response.status_code}"
        assert database_fingerprint() == before
