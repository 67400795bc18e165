#!/usr/bin/env python3
"""Drives the admin web pages of a running integration point in headless Chromium, as an operator would.

    scripts/browser-check.py BASE_URL USER PASSWORD OUTGOING_MESSAGE_ID INCOMING_MESSAGE_ID SCREENSHOT_DIR

Loads `/`, then `/conversations`, types the outgoing message's id into the search box and submits the form, opens
the conversation by its link, and checks what each page shows. Screenshots of every page go to SCREENSHOT_DIR.
Needs Debian's `chromium` and `chromium-driver` and the `selenium` package from PyPI. Exits non-zero, naming
the step, when a check fails.
"""
import base64
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def fail(step, message, driver=None, shots=None):
    if driver is not None and shots:
        driver.save_screenshot(os.path.join(shots, "failure.png"))
    print(f"browser check failed at '{step}': {message}", file=sys.stderr)
    sys.exit(1)


def main():
    base, user, password, outgoing, incoming, shots = sys.argv[1:7]
    os.makedirs(shots, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1440,1000"]:
        options.add_argument(argument)
    # The pages must work without JavaScript, so the browser runs with it switched off.
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    try:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Authorization": f"Basic {token}"}})

        driver.get(base + "/")
        body = driver.find_element(By.TAG_NAME, "body").text
        for expected in ["integrasjonspunkt", "Organisation", "Uptime", "Health: UP", "Effective configuration"]:
            if expected not in body:
                fail("overview", f"'{expected}' not on the page", driver, shots)
        if password in driver.page_source:
            fail("overview", "the API password is on the page", driver, shots)
        driver.save_screenshot(os.path.join(shots, "admin-overview.png"))

        driver.get(base + "/conversations")
        body = driver.find_element(By.TAG_NAME, "body").text
        for expected in [outgoing, incoming, "OUTGOING", "INCOMING", "LEVERT"]:
            if expected not in body:
                fail("conversations", f"'{expected}' not in the list", driver, shots)
        driver.save_screenshot(os.path.join(shots, "admin-conversations.png"))

        box = driver.find_element(By.NAME, "q")
        box.clear()
        box.send_keys(outgoing[:13])
        click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
        body = driver.find_element(By.TAG_NAME, "body").text
        if "1 conversation(s)" not in body or outgoing not in body or incoming in body:
            fail("search", f"searching for {outgoing[:13]} did not give exactly the outgoing message", driver, shots)
        driver.save_screenshot(os.path.join(shots, "admin-search.png"))

        click_and_wait(driver, driver.find_element(By.LINK_TEXT, outgoing))
        body = driver.find_element(By.TAG_NAME, "body").text
        for expected in ["Status history", "OPPRETTET", "SENDT", "MOTTATT", "LEVERT", outgoing]:
            if expected not in body:
                fail("conversation", f"'{expected}' not on the conversation's page", driver, shots)
        driver.save_screenshot(os.path.join(shots, "admin-conversation.png"))
        print(f"browser check passed; screenshots in {shots}")
    finally:
        driver.quit()


def click_and_wait(driver, element):
    """Clicks a link or submit button and waits until the next page has replaced this one (a loaded machine may
    take a while), so that the next lookup reads the new page rather than none."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.TAG_NAME, "body")))


if __name__ == "__main__":
    main()
