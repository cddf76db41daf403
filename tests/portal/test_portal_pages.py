"""The public portal through the test client: what an anonymous visitor may read, and what never
reaches them (unpublished plans, remarks, persons in charge, the signer's name and NIP)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from html_tree import Element, parse
from renaksi.planning import presenters
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree


def index_url() -> str:
    return reverse("portal:index")


def plan_url(plan: Plan | int) -> str:
    return reverse("portal:plan_detail", args=[plan if isinstance(plan, int) else plan.pk])


def listed_plan_ids(page: Element) -> set[int]:
    return {int(row.attrs["data-plan"]) for row in page.iter("tr") if "data-plan" in row.attrs}


# --- who sees what -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_visitor_finds_a_published_plan_in_the_index_under_its_agency(
    anonymous_client, published_plan
):
    page = parse(anonymous_client.get(index_url()))

    agency = page.find("li", data_agency="kpu-kab-boalemo")
    row = agency.find("tr", data_plan=str(published_plan.pk))

    assert agency.find("h2").text == "KPU Kabupaten Boalemo"
    assert row.find("a").attrs["href"] == plan_url(published_plan)


@pytest.mark.django_db
def test_the_index_lists_only_approved_plans_of_agencies_that_publish(
    anonymous_client, published_plan, hidden_plans
):
    page = parse(anonymous_client.get(index_url()))

    assert listed_plan_ids(page) == {published_plan.pk}
    assert [li.attrs["data-agency"] for li in page.iter("li", **{"class": "agency"})] == ["kpu-kab-boalemo"]


@pytest.mark.django_db
def test_the_index_says_so_when_nothing_is_published(anonymous_client, hidden_plans):
    page = parse(anonymous_client.get(index_url()))

    assert listed_plan_ids(page) == set()
    assert page.find("p", **{"class": "empty"}).text == "Belum ada rencana aksi yang diterbitkan."


@pytest.mark.django_db
def test_an_anonymous_visitor_can_read_a_published_plan(anonymous_client, published_plan):
    page = parse(anonymous_client.get(plan_url(published_plan)))

    assert page.find("table", id="renaksi-table")
    assert page.find("dd", data_updated="").text


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["draft", "submitted", "agency does not publish"])
def test_a_plan_that_is_not_published_answers_404_exactly_like_a_missing_one(
    anonymous_client, hidden_plans, kind
):
    missing = Plan.objects.system("test: an id no plan has").order_by("-pk").first().pk + 1000

    hidden = anonymous_client.get(plan_url(hidden_plans[kind]))
    absent = anonymous_client.get(plan_url(missing))

    assert hidden.status_code == absent.status_code == 404
    assert hidden.content == absent.content


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["draft", "submitted", "agency does not publish"])
def test_a_site_admin_on_the_portal_sees_no_more_than_the_public(client, hidden_plans, kind):
    assert client.get(plan_url(hidden_plans[kind])).status_code == 404


@pytest.mark.django_db
def test_a_plan_stops_being_public_when_its_agency_stops_publishing(anonymous_client, published_plan):
    assert anonymous_client.get(plan_url(published_plan)).status_code == 200

    published_plan.agency.publishes_plans = False
    published_plan.agency.save()

    assert anonymous_client.get(plan_url(published_plan)).status_code == 404
    assert listed_plan_ids(parse(anonymous_client.get(index_url()))) == set()


# --- the table and its totals --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_public_plan_page_shows_the_grand_total_in_the_grand_total_row(anonymous_client, seed_plan):
    page = parse(anonymous_client.get(plan_url(seed_plan)))

    row = page.find("tr", id="jumlah-total")

    assert row.find("th").text == "JUMLAH TOTAL"
    assert row.find("td", data_col="cost").text == "Rp 10.060.818.000"


@pytest.mark.django_db
def test_the_index_shows_the_plans_total_cost(anonymous_client, seed_plan):
    page = parse(anonymous_client.get(index_url()))

    cells = [td.text for td in page.find("tr", data_plan=str(seed_plan.pk)).iter("td")]

    assert cells[0] == "2023"
    assert "Rp 10.060.818.000" in cells


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "total"),
    [
        ("1", "Rp 108.228.000"),
        ("2", "Rp 3.353.681.000"),
        ("", "Rp 30.760.000"),
        ("6", "Rp 401.797.000"),
        ("7", "Rp 6.166.352.000"),
    ],
)
def test_each_goal_of_the_public_table_ends_with_its_subtotal(anonymous_client, seed_plan, number, total):
    page = parse(anonymous_client.get(plan_url(seed_plan)))

    subtotal = page.find("tr", data_subtotal=number)

    assert subtotal.find("td", data_col="cost").text == total


@pytest.mark.django_db
def test_the_public_table_has_the_official_columns_without_remarks_and_person_in_charge(
    anonymous_client, published_plan
):
    page = parse(anonymous_client.get(plan_url(published_plan)))
    table = page.find("table", id="renaksi-table")
    first = next(table.find("thead").iter("tr"))

    assert [th.text for th in first.iter("th")] == [
        "NO",
        "SASARAN STRATEGIS",
        "SASARAN PROGRAM",
        "INDIKATOR KINERJA",
        "TARGET",
        "KEGIATAN",
        "Rencana Kegiatan",
        "RENCANA PELAKSANAAN KEGIATAN",
        "PERKIRAAN BIAYA",
        "AKUN",
    ]
    columns = {td.attrs.get("data-col") for td in table.iter("td")}
    assert "remarks" not in columns
    assert "pic" not in columns


@pytest.mark.django_db
def test_the_subtotal_rows_span_exactly_the_public_columns(anonymous_client, published_plan):
    page = parse(anonymous_client.get(plan_url(published_plan)))
    table = page.find("table", id="renaksi-table")
    first = next(table.find("thead").iter("tr"))
    header_width = sum(int(th.attrs.get("colspan", "1")) for th in first.iter("th"))

    total = table.find("tr", id="jumlah-total")
    width = sum(int(cell.attrs.get("colspan", "1")) for cell in total.iter() if cell.tag in {"th", "td"})

    assert width == header_width


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["index", "plan"])
def test_no_remark_person_in_charge_or_signer_text_reaches_the_public(
    anonymous_client, published_plan, internal_texts, url
):
    response = anonymous_client.get(index_url() if url == "index" else plan_url(published_plan))
    html = response.content.decode("utf-8")

    assert response.status_code == 200
    for secret in [*internal_texts.values(), "PENANGGUNG JAWAB", ">KET<"]:
        assert secret not in html


@pytest.mark.django_db
def test_the_members_plan_page_still_shows_remarks_and_person_in_charge(
    client, published_plan, internal_texts
):
    html = client.get(reverse("planning:plan_detail", args=[published_plan.pk])).content.decode("utf-8")

    assert internal_texts["remark"] in html
    assert internal_texts["person in charge"] in html


@pytest.mark.django_db
def test_the_public_page_drops_the_importers_review_notes(published_plan):
    published_plan.program_goals.update(needs_review=True, review_note="Periksa ulang terhadap PDF")
    tree = load_tree(published_plan)

    internal = presenters.plan_page(published_plan, tree)
    public = presenters.plan_page(published_plan, tree, public=True)

    assert internal.flagged_program_goals
    assert public.flagged_program_goals == []
    assert not any(
        cell.flagged or cell.review_note for s in public.sections for r in s.rows for cell in r.cells
    )
    review_figure = "Sasaran program perlu ditinjau"
    assert review_figure in [str(figure.label) for figure in internal.figures]
    assert review_figure not in [str(figure.label) for figure in public.figures]


# --- only public pages, only safe methods --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["index", "plan"])
def test_the_portal_links_only_to_public_pages(anonymous_client, published_plan, url):
    page = parse(anonymous_client.get(index_url() if url == "index" else plan_url(published_plan)))
    public = (reverse("portal:index"), reverse("accounts:login"), reverse("set_language"), "/static/", "#")

    targets = [a.attrs["href"] for a in page.iter("a")] + [f.attrs["action"] for f in page.iter("form")]

    assert targets
    for target in targets:
        assert target.startswith(public), target


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["index", "plan"])
def test_the_portal_refuses_every_method_but_get_and_head(anonymous_client, published_plan, method, url):
    response = getattr(anonymous_client, method)(index_url() if url == "index" else plan_url(published_plan))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["index", "plan"])
def test_head_answers_like_get_without_a_body(anonymous_client, published_plan, url):
    response = anonymous_client.head(index_url() if url == "index" else plan_url(published_plan))

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_the_portal_works_with_csrf_checks_on(published_plan):
    browser = Client(enforce_csrf_checks=True)

    page = parse(browser.get(plan_url(published_plan)))
    form = page.find("form", **{"class": "lang-switch"})
    token = form.find("input", name="csrfmiddlewaretoken").attrs["value"]
    switched = browser.post(
        form.attrs["action"],
        {"csrfmiddlewaretoken": token, "language": "en", "next": plan_url(published_plan)},
    )

    assert browser.get(index_url()).status_code == 200
    assert switched.status_code == 302
    assert browser.get(switched["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_post_without_a_csrf_token_is_refused(published_plan):
    browser = Client(enforce_csrf_checks=True)
    # The portal's one form is the language switch: without its token the choice is refused.
    response = browser.post(reverse("set_language"), {"language": "en", "next": plan_url(published_plan)})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_signed_in_member_reads_the_portal_with_csrf_checks_on(csrf_client, published_plan):
    assert csrf_client.get(index_url()).status_code == 200
    assert csrf_client.get(plan_url(published_plan)).status_code == 200


@pytest.mark.django_db
def test_a_big_published_plan_is_shown_a_page_at_a_time_without_internal_texts(
    anonymous_client, published_plan, internal_texts, settings
):
    settings.RENAKSI_PLAN_PAGE_ROWS = 5
    url = reverse("portal:plan_detail", args=[published_plan.pk])
    first = anonymous_client.get(url)
    last = anonymous_client.get(url, {"halaman": "999"})

    for response in (first, last):
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="pager"' in html and "?halaman=2" in html
        for label, text in internal_texts.items():
            assert text not in html, label
    rows = [line for line in first.content.decode().split("<tr") if 'class="plan-row' in line]
    assert len(rows) == 5
    assert 'id="jumlah-total"' in last.content.decode() and 'id="jumlah-total"' not in first.content.decode()
