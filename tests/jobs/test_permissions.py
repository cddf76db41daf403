from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.planning.services import save_tree

pytestmark = pytest.mark.django_db


def test_a_viewer_cannot_start_a_rollup(settings, tmp_path, django_user_model) -> None:
    settings.DATA_DIR = tmp_path
    settings.RENAKSI_EXPORT_JOBS_SYNC = True
    province = find_agency("kpu-prov-gorontalo")
    save_tree(province, 2023, random_plan(1, 3))
    viewer = django_user_model.objects.create_user("pembaca", password="kata-sandi-uji-123")
    Membership.objects.create(user=viewer, agency=province, role=Role.VIEWER)
    browser = Client()
    browser.force_login(viewer)
    response = browser.post(reverse("planning:rollup_start", args=[province.code]), {"year": "2023"})
    assert response.status_code == 403
