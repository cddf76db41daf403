"""The plan page links to the editor ("Susun rencana"), for those who may edit a draft."""

from __future__ import annotations

from django.urls import reverse

from renaksi.accounts.models import Membership, Role


def test_a_planner_finds_the_editor_on_the_plan_page_and_a_viewer_does_not(
    seed_plan, django_user_model, client
):
    editor = reverse("editor:editor", args=[seed_plan.pk])
    for name, role, shown in (("perencana", Role.PLANNER, True), ("pembaca", Role.VIEWER, False)):
        user = django_user_model.objects.create_user(name, password="kata-sandi-uji-123")
        Membership.objects.create(user=user, agency=seed_plan.agency, role=role)
        client.force_login(user)
        page = client.get(reverse("planning:plan_detail", args=[seed_plan.pk])).content.decode()
        assert (editor in page and "Susun rencana" in page) is shown, name


def test_an_agency_without_a_plan_offers_its_planner_a_new_plan_and_its_viewer_nothing(
    db, django_user_model, client
):
    from renaksi.agencies.services import find_agency

    agency = find_agency("kpu-kab-boalemo")  # no plan yet
    new_plan = reverse("editor:new_plan", args=[agency.code])
    for name, role, shown in (("perencana", Role.PLANNER, True), ("pembaca", Role.VIEWER, False)):
        user = django_user_model.objects.create_user(name, password="kata-sandi-uji-123")
        Membership.objects.create(user=user, agency=agency, role=role)
        client.force_login(user)
        page = client.get(reverse("planning:agency_list")).content.decode()
        assert (new_plan in page and "Buat rencana baru" in page) is shown, name
        if shown:
            assert client.get(new_plan).status_code == 200


def test_a_plan_that_is_not_a_draft_tells_the_planner_the_way_back_to_editing(
    seed_plan, django_user_model, client
):
    from renaksi.planning.models import Plan

    user = django_user_model.objects.create_user("perencana", password="kata-sandi-uji-123")
    Membership.objects.create(user=user, agency=seed_plan.agency, role=Role.PLANNER)
    client.force_login(user)
    line = seed_plan.sub_activities.first()
    pages = (
        reverse("editor:editor", args=[seed_plan.pk]),
        reverse("planning:line_edit", args=[seed_plan.pk, line.pk]),
    )
    for status, way in (("submitted", "tarik kembali pengajuannya"), ("approved", "buka revisi")):
        Plan.objects.system("test").filter(pk=seed_plan.pk).update(status=status)
        for url in pages:
            page = client.get(url).content.decode()
            assert way in page, (status, url)
            assert "Kembalikan rencana ke draf" not in page
