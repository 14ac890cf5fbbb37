"""A link's own page for the photographer: its address, QR code, chart and totals."""

import io
import xml.etree.ElementTree as ET

import segno
from django.urls import reverse

from sharing import analytics, services


def test_the_link_page_shows_the_address_and_a_qr_code(owner_client, link):
    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    html = response.content.decode()
    assert f'value="http://testserver/s/{link.token}/"' in html
    qr = reverse("sharing:link_qr", args=[link.pk])
    assert f'src="{qr}"' in html
    assert f'href="{qr}?download=1"' in html


def test_the_qr_code_is_an_svg_of_the_public_address(owner_client, link):
    response = owner_client.get(reverse("sharing:link_qr", args=[link.pk]))

    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    expected = io.BytesIO()
    segno.make(f"http://testserver/s/{link.token}/", error="m").save(
        expected, kind="svg", light="#fff"
    )
    # The same dark modules as a code made straight from the public address.
    assert _modules(root) == _modules(ET.fromstring(expected.getvalue()))


def _modules(svg: ET.Element) -> str:
    (line,) = (
        p for p in svg.iter("{http://www.w3.org/2000/svg}path") if p.get("stroke")
    )
    return line.get("d")


def test_the_qr_code_can_be_downloaded_as_a_file(owner_client, link):
    response = owner_client.get(
        reverse("sharing:link_qr", args=[link.pk]), {"download": "1"}
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="anna-ben-couple-qr.svg"'
    )


def test_the_chart_shows_todays_counts(owner_client, link):
    analytics.count(link, "views", 7)
    analytics.count(link, "visitors", 3)

    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    html = response.content.decode()
    assert "<title>Today: 7 views, 3 visitors</title>" in html
    assert 'role="img"' in html
    today_row = html[html.index('<tr class="is-today">') :]
    assert '<td class="num">7</td>' in today_row[: today_row.index("</tr>")]
    assert len(response.context["chart"]["bars"]) == 30


def test_the_link_page_shows_its_totals_and_lists(owner_client, link, anna):
    analytics.count(link, "views", 4)
    analytics.count(link, "zip_downloads", 2)
    analytics.record_view(link, address="203.0.113.1", user_agent="phone")

    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    totals = response.context["totals"]
    assert (totals["views"], totals["zip_downloads"], totals["visitors"]) == (5, 2, 1)
    assert totals["last_visited_at"] is not None
    html = response.content.decode()
    assert "Last visit" in html
    assert reverse("sharing:list_detail", args=[anna.pk]) in html


def test_a_disabled_link_says_so_on_its_page(owner_client, link):
    services.link_update(link=link, is_active=False)

    response = owner_client.get(reverse("sharing:link_detail", args=[link.pk]))

    assert "This link is disabled" in response.content.decode()
