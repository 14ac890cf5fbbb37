"""The pages that come from libraries work under the site's Content-Security-Policy.

Every scenario fails on any CSP violation (see conftest.py); these open the pages the
story does not: Django's admin, the API docs (Swagger UI) and DRF's browsable API, and
check first that a violation is really caught.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(new_context):
    return new_context(viewport={"width": 1280, "height": 900}).new_page()


def test_a_script_injected_into_a_page_is_refused_and_caught(page, csp_violations):
    page.goto("/")
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true;";
            document.head.append(script);
            return window.injected === true;
        }"""
    )
    page.evaluate("0")  # the report's round trip

    assert ran is False
    assert any("script-src" in violation for violation in csp_violations)
    csp_violations.clear()  # provoked on purpose: not this test's failure


def test_the_admin_login_page_works(page):
    page.goto("/admin/login/")

    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def test_a_photographer_signs_up_and_reads_the_api_docs(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Your name").fill("Ada Lens")
    page.get_by_label("Studio name").fill("Ada Studio")
    page.get_by_label("Email").fill(f"ada-{secrets.token_hex(4)}@studio.test")
    page.get_by_label("Password").fill("a-long-" + secrets.token_hex(8))
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/galleries/$"))

    page.goto("/api/v1/docs/")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    operations.first.locator(".opblock-summary").click()
    expect(page.locator(".opblock-body").first).to_be_visible()


def test_the_browsable_api_shows_their_account(page):
    page.goto("/api/v1/me/")

    # DRF's scripts ran: the JSON is highlighted (its strings in spans of their own).
    expect(
        page.locator("pre.prettyprint span.str", has_text="Ada Studio")
    ).to_be_visible()
