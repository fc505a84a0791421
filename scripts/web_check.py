"""Drives the web chat in headless chromium (run by scripts/checks/40-web)."""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

port, out = sys.argv[1], sys.argv[2]
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,900"]:
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 180)
try:
    driver.get(f"http://127.0.0.1:{port}/")
    assert driver.title == "Ponder", driver.title
    # Accessible: every control has a label.
    for control in ["effort", "prompt", "apikey"]:
        labels = driver.find_elements(By.CSS_SELECTOR, f"label[for='{control}']")
        assert labels, f"no label for #{control}"
    Select(driver.find_element(By.ID, "effort")).select_by_value("low")

    # First turn: the live thinking indicator, then the collapsed block and the answer.
    # A short answer can finish between two polls, so an observer installed before sending
    # records what the page showed live: step items added to the live block, and whether any
    # answer text appeared before the first of them.
    driver.execute_script("""
        window.liveSteps = 0; window.answerBeforeSteps = false;
        new MutationObserver((mutations) => {
          for (const mutation of mutations) {
            for (const node of mutation.addedNodes) {
              if (node.nodeName === "LI" && node.parentElement && node.parentElement.closest(".thinking")) {
                if (window.liveSteps === 0 && document.querySelector(".answer") &&
                    document.querySelector(".answer").textContent) window.answerBeforeSteps = true;
                window.liveSteps += 1;
              }
            }
          }
        }).observe(document.getElementById("log"), { childList: true, subtree: true });
    """)
    prompt = driver.find_element(By.ID, "prompt")
    prompt.send_keys("What is 12 + 7?")
    prompt.send_keys(Keys.ENTER)
    status = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".thinking .status, details.thought")))
    try:
        if status.tag_name != "details":
            assert status.text.startswith("Thinking"), status.text
            if driver.find_elements(By.CSS_SELECTOR, ".thinking .steps li"):
                driver.save_screenshot(f"{out}/thinking.png")
    except StaleElementReferenceException:
        pass  # the answer finished while we looked; the observer's record is checked below
    thought = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "details.thought")))
    wait.until(lambda d: not d.find_element(By.ID, "send").get_attribute("disabled"))
    summary = thought.find_element(By.TAG_NAME, "summary")
    assert summary.text.startswith("Thought for "), summary.text
    assert thought.get_attribute("open") is None, "the thinking block should start collapsed"
    answer = driver.find_element(By.CSS_SELECTOR, ".turn.assistant .answer").text
    # What the model answers is not checked (it differs between CPUs); that the page shows the
    # answer element after the thought is.
    live = driver.execute_script("return window.liveSteps")
    assert live >= 1, "no thinking step was shown while the model was thinking"
    assert not driver.execute_script("return window.answerBeforeSteps"), "answer text came before the steps"
    summary.click()
    steps = thought.find_elements(By.CSS_SELECTOR, "li")
    assert len(steps) >= 3 and steps[0].text.startswith("Assessing the question"), [s.text for s in steps]
    driver.save_screenshot(f"{out}/answer.png")
    print("answer:", answer, "|", summary.text, "|", len(steps), "steps")

    # Second turn (multi-turn), stopped with the Stop button. Stop is pressed on a state, not after
    # a guessed delay: once the new turn shows its first live thinking step, while the request is
    # still running (effort high on a long task keeps it running for many seconds on any CPU).
    Select(driver.find_element(By.ID, "effort")).select_by_value("high")
    prompt.send_keys("Now write a long essay on the history of numbers, with every step of your reasoning.")
    driver.find_element(By.ID, "send").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".turn.assistant")) == 2
               and d.find_elements(By.CSS_SELECTOR, ".turn.assistant:last-of-type .thinking .steps li"))
    stop = driver.find_element(By.ID, "stop")
    assert not stop.get_attribute("disabled"), "Stop is disabled while the second turn is thinking"
    assert not driver.find_elements(By.CSS_SELECTOR, ".turn.assistant:last-of-type details.thought"), \
        "the second turn finished before Stop could be pressed"
    stop.click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".turn.assistant:last-of-type .stopped"))
    assert len(driver.find_elements(By.CSS_SELECTOR, ".turn.user")) == 2

    # Narrow screen: no horizontal scrolling.
    driver.set_window_size(360, 740)
    time.sleep(0.3)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide on a 360px screen"
    driver.save_screenshot(f"{out}/narrow.png")
finally:
    driver.quit()
print("web checks passed")
