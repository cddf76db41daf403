"""Approve-versus-return races on one plan, in two processes released together by a barrier.

    RENAKSI_DATA_DIR=FOLDER python tests/reliability/race_worker.py ROUNDS

Each round puts the seed plan back to ``submitted``; then an approver and a returner, both
holding the page of that version, press at once. Prints one JSON object: per round, who won,
what the loser was told, and how many history events the round wrote.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import traceback
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

from renaksi.access import OPERATOR  # noqa: E402
from renaksi.history import Source  # noqa: E402
from renaksi.history.models import HistoryEvent  # noqa: E402
from renaksi.planning import workflow  # noqa: E402
from renaksi.planning.models import Plan  # noqa: E402

REASON = "race test: the operator resets the plan"


def press(action: str, plan_id: int, ready: Any, start: Any, done: Any, rounds: int, out: Any) -> None:
    connections.close_all()
    outcomes = []
    for _round in range(rounds):
        ready.wait()
        plan = Plan.objects.system(REASON).get(pk=plan_id)  # the page each of them has open
        version = plan.version
        connections.close_all()
        start.wait()
        try:
            if action == "approve":
                workflow.approve_plan(plan, OPERATOR, source=Source.COMMAND, expected_version=version)
            else:
                workflow.return_plan(
                    plan, OPERATOR, "perlu diperbaiki", source=Source.COMMAND, expected_version=version
                )
            outcomes.append("won")
        except workflow.WorkflowError as error:  # EditConflict is one: the documented refusal
            outcomes.append(f"refused: {type(error).__name__}")
        except Exception as error:
            outcomes.append(f"crash: {type(error).__name__}: {error} {traceback.format_exc()[-800:]}")
        done.wait()
        connections.close_all()
    out.put((action, outcomes))


def main(rounds: int) -> int:
    plan = Plan.objects.system(REASON).order_by("pk").first()
    assert plan is not None, "no plan: run renaksi demo first"
    context = multiprocessing.get_context("fork")
    ready, start, done = context.Barrier(3), context.Barrier(3), context.Barrier(3)
    out = context.Queue()
    connections.close_all()
    workers = [
        context.Process(target=press, args=(action, plan.pk, ready, start, done, rounds, out))
        for action in ("approve", "return")
    ]
    for worker in workers:
        worker.start()
    events = []
    statuses = []
    for _round in range(rounds):
        Plan.objects.system(REASON).filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)
        before = HistoryEvent.objects.system(REASON).filter(plan_id=plan.pk).count()
        connections.close_all()
        ready.wait()
        start.wait()
        done.wait()
        events.append(HistoryEvent.objects.system(REASON).filter(plan_id=plan.pk).count() - before)
        statuses.append(Plan.objects.system(REASON).get(pk=plan.pk).status)
        connections.close_all()
    results = dict(out.get() for _ in workers)
    for worker in workers:
        worker.join()
    print(json.dumps({"events": events, "statuses": statuses, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
