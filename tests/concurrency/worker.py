"""A process of concurrent work on a real database, started by the concurrency tests.

Run as ``python worker.py COMMAND JSON`` with the environment of the database it works on
(``RENAKSI_DATA_DIR`` for a SQLite file, ``DATABASE_URL`` for PostgreSQL); it prints one JSON
object, the outcome, on its last line of stdout. The tests start several of these at once (real
processes, each with its own connections, as gunicorn workers and a ``renaksi import`` are), and
each worker may run threads of its own.

Commands:

- ``edit``: ``threads`` editors save lines (``lines``, ids) for ``seconds``, through the pages
  (``via: "client"``, the Django test client and its whole middleware stack) or the service
  (``via: "service"``); returns every save and what it was answered.
- ``import``: imports the seed file for ``agency`` (with ``replace``) again and again for
  ``seconds``, or once at ``start_at`` (a time.time() instant shared by racing workers); returns
  each outcome (``ok``, ``exists``, ``busy``, or the exception it died with).
- ``hold``: keeps the write lock (a write in an open transaction) for ``seconds``.
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[2] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

EDITOR = "penyunting"
PASSWORD = "kata-sandi-penyunting-123"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host
    import django

    django.setup()


def _editor() -> Any:
    from django.contrib.auth import get_user_model

    users = get_user_model()
    user = users.objects.filter(username=EDITOR).first()
    return user or users.objects.create_superuser(EDITOR, "penyunting@example.invalid", PASSWORD)


def _wait_until(instant: float | None) -> None:
    if instant is not None:
        time.sleep(max(0.0, instant - time.time()))


def edit(args: dict[str, Any]) -> dict[str, Any]:
    from django.db import connections

    from renaksi.planning.models import SubActivity

    user = _editor()
    line_ids: list[int] = list(args["lines"])
    plan_id = SubActivity.objects.system("test worker").get(pk=line_ids[0]).plan_id
    initial = _line_states(line_ids)
    connections.close_all()
    saves: list[dict[str, Any]] = []
    lock = threading.Lock()
    errors: list[str] = []

    def editor(number: int) -> None:
        try:
            edits(number)
        except Exception as error:  # noqa: BLE001 - reported, the test fails on it
            with lock:
                errors.append("".join(traceback.format_exception(error))[-3000:])

    def edits(number: int) -> None:
        rng = random.Random(number)
        client = _client(user) if args.get("via", "client") == "client" else None
        count = 0
        _wait_until(args.get("start_at"))
        deadline = time.time() + float(args["seconds"])
        try:
            while time.time() < deadline:
                line_id = rng.choice(line_ids)
                value = f"editor {number} save {count}"
                count += 1
                outcome = (
                    _save_through_page(client, plan_id, line_id, value)
                    if client is not None
                    else _save_through_service(user, line_id, value)
                )
                with lock:
                    saves.append({"editor": number, "line": line_id, "value": value, **outcome})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(int(args["threads"]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit("an editor failed:\n" + errors[0])
    return {"saves": saves, "initial": initial, "final": _line_states(line_ids)}


def _line_states(line_ids: list[int]) -> dict[str, dict[str, Any]]:
    """Each line's stored remark and version, and how many changes history holds for it."""
    from django.db.models import Count

    from renaksi.history import Event
    from renaksi.history.models import HistoryEvent
    from renaksi.planning.models import SubActivity

    changes = dict(
        HistoryEvent.objects.system("test worker")
        .filter(
            event=Event.CHANGED, object_type="planning.subactivity", object_id__in=[str(i) for i in line_ids]
        )
        .values_list("object_id")
        .annotate(count=Count("id"))
    )
    return {
        str(line.pk): {
            "remarks": line.remarks,
            "version": getattr(line, "version", None),
            "changes": changes.get(str(line.pk), 0),
        }
        for line in SubActivity.objects.system("test worker").filter(pk__in=line_ids)
    }


def _client(user: Any) -> Any:
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _save_through_page(client: Any, plan_id: int, line_id: int, value: str) -> dict[str, Any]:
    """Open the edit form, then post it with one remark changed, as a person does."""
    from django.urls import reverse

    url = reverse("planning:line_edit", args=[plan_id, line_id])
    form = client.get(url)
    if form.status_code != 200:
        return _answer(form, {"step": "get"})
    version = _hidden_value(form.content.decode(), "version")
    data = {"cost": "", "budget_code": "", "remarks": value, "person_in_charge": "", "months": ["1"]}
    if version is not None:
        data["version"] = version
    return _answer(client.post(url, data), {"base": version})


def _answer(response: Any, outcome: dict[str, Any]) -> dict[str, Any]:
    outcome["status"] = response.status_code
    if response.status_code >= 500:
        outcome["body"] = response.content.decode()[-2000:]
    elif response.status_code != 302:
        outcome["body"] = response.content.decode()
    if "Retry-After" in response:
        outcome["retry_after"] = response["Retry-After"]
    return outcome


def _hidden_value(page: str, name: str) -> str | None:
    marker = f'name="{name}" value="'
    start = page.find(marker)
    if start < 0:
        return None
    start += len(marker)
    return page[start : page.index('"', start)]


def _save_through_service(user: Any, line_id: int, value: str) -> dict[str, Any]:
    import inspect

    from renaksi.planning import workflow
    from renaksi.planning.models import SubActivity

    line = SubActivity.objects.system("test worker").select_related("plan").get(pk=line_id)
    base = getattr(line, "version", None)
    change = workflow.LineChange(None, "absent", "", value, "", (1,))
    kwargs: dict[str, Any] = {}
    if "expected_version" in inspect.signature(workflow.update_line).parameters:
        kwargs["expected_version"] = base
    started = time.monotonic()
    try:
        workflow.update_line(line, change, user, **kwargs)
    except workflow.WorkflowError as error:
        return {"status": 409, "base": base, "body": str(error)}
    except Exception as error:  # noqa: BLE001 - every failure is an outcome the test counts
        return {
            "status": _status_of(error),
            "base": base,
            "seconds": round(time.monotonic() - started, 3),
            "body": "".join(traceback.format_exception(error))[-2000:],
        }
    return {"status": 302, "base": base}


def _status_of(error: BaseException) -> int:
    """What the pages would have answered: 503 for a busy database, else 500."""
    return 503 if _busy_or_crash(error) == "busy" else 500


def run_import(args: dict[str, Any]) -> dict[str, Any]:
    from renaksi.agencies.services import find_agency
    from renaksi.cli import SEED_FILE
    from renaksi.imports.services import commit_import, preview_import
    from renaksi.planning.services import PlanExistsError

    agency = find_agency(args["agency"])
    preview = preview_import(Path(SEED_FILE))
    outcomes: list[dict[str, Any]] = []
    _wait_until(args.get("start_at"))
    deadline = time.time() + float(args.get("seconds", 0))
    while True:
        started = time.time()
        try:
            from renaksi.access import OPERATOR  # after django.setup()

            plan, _record = commit_import(
                preview, agency, 2023, replace=bool(args.get("replace")), actor=OPERATOR
            )
        except PlanExistsError as error:
            outcomes.append({"outcome": "exists", "message": str(error)})
        except Exception as error:  # noqa: BLE001 - every failure is an outcome the test counts
            outcomes.append(
                {
                    "outcome": _busy_or_crash(error),
                    "error": type(error).__name__,
                    "message": str(error),
                    "traceback": "".join(traceback.format_exception(error))[-3000:],
                }
            )
        else:
            outcomes.append({"outcome": "ok", "plan": plan.pk})
        outcomes[-1]["seconds"] = round(time.time() - started, 3)
        if time.time() >= deadline:
            return {"imports": outcomes}


def _busy_or_crash(error: BaseException) -> str:
    try:
        from renaksi.busy import is_busy_error
    except ImportError:
        return "crash"
    return "busy" if is_busy_error(error) else "crash"


def hold(args: dict[str, Any]) -> dict[str, Any]:
    from django.db import transaction

    from renaksi.agencies.models import Agency

    with transaction.atomic():
        agency = Agency.objects.order_by("pk").first()
        assert agency is not None
        Agency.objects.filter(pk=agency.pk).update(name=agency.name)
        print("holding", flush=True)
        time.sleep(float(args["seconds"]))
    return {"held": args["seconds"]}


COMMANDS = {"edit": edit, "import": run_import, "hold": hold}


def main() -> None:
    command, arguments = sys.argv[1], json.loads(sys.argv[2])
    _setup()
    result = COMMANDS[command](arguments)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
