"""End-to-end client checks for `ponder serve` (run by scripts/checks/30-serve): the official
`openai` package plus raw HTTP for what the SDK cannot send (bad JSON, oversized bodies, fuzz)."""
import http.client
import json
import random
import socket
import sys
import threading
import time

import openai

PORT = int(sys.argv[1])
KEY = sys.argv[2]
BASE = f"http://127.0.0.1:{PORT}/v1"
client = openai.OpenAI(base_url=BASE, api_key=KEY, max_retries=0, timeout=300)


def step(name):
    print(f"-- {name}", flush=True)


def raw(method, path, body=None, headers=None, timeout=120):
    """One request over a fresh connection; returns (status, headers, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    all_headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    all_headers.update(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def expect_error(status, body, expected_status, param="__any__"):
    assert status == expected_status, (status, expected_status, body[:300])
    error = json.loads(body)["error"]
    assert set(error) >= {"message", "type", "param", "code"}, error
    assert isinstance(error["message"], str) and error["message"], error
    if param != "__any__":
        assert error["param"] == param, (error, param)


def metrics():
    _, _, data = raw("GET", "/metrics")
    values = {}
    for line in data.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


QUESTION = [{"role": "user", "content": "What is 12 + 7?"}]

step("models")
models = client.models.list()
assert [m.id for m in models.data] == ["ponder"], models

step("chat completion with reasoning, usage and reasoning_content")
reply = client.chat.completions.create(model="ponder", messages=QUESTION, reasoning_effort="low", max_completion_tokens=96)
choice = reply.choices[0]
# What the model answers (even whether it writes anything after its reasoning) differs between CPUs: not asserted.
assert isinstance(choice.message.content, str) and choice.finish_reason in ("stop", "length"), reply
reasoning = (choice.message.model_extra or {}).get("reasoning_content") or ""
assert reasoning.startswith("**Assessing the question**"), reasoning
usage = reply.usage
assert 0 <= usage.completion_tokens_details.reasoning_tokens <= usage.completion_tokens, usage
assert 0 < usage.completion_tokens <= 96, usage
assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens and usage.prompt_tokens > 0, usage
print("answer:", choice.message.content, "| usage:", usage.completion_tokens, "reasoning:", usage.completion_tokens_details.reasoning_tokens)

step("reasoning_effort none spends no reasoning tokens")
direct = client.chat.completions.create(model="ponder", messages=QUESTION, reasoning_effort="none", max_completion_tokens=24)
assert direct.usage.completion_tokens_details.reasoning_tokens == 0, direct.usage
assert isinstance(direct.choices[0].message.content, str) and direct.usage.completion_tokens <= 24, direct

step("streamed chat completion: reasoning deltas while thinking, then content, then usage")
stream = client.chat.completions.create(model="ponder", messages=QUESTION, reasoning_effort="low", max_completion_tokens=96,
                                        stream=True, stream_options={"include_usage": True})
order, content, summary_text, usage = [], "", "", None
arrivals = []
started = time.monotonic()
for chunk in stream:
    if chunk.usage:
        usage = chunk.usage
    for c in chunk.choices:
        extra = c.delta.model_extra or {}
        if extra.get("reasoning_content"):
            order.append("reasoning"); summary_text += extra["reasoning_content"]; arrivals.append(time.monotonic() - started)
        if c.delta.content:
            order.append("content"); content += c.delta.content
assert order.count("reasoning") >= 3, order
if "content" in order:  # the answer may be empty on some CPU; when there is one, it comes after every summary
    assert max(i for i, kind in enumerate(order) if kind == "reasoning") < order.index("content"), order
assert usage and usage.completion_tokens > 0, (content, usage)
assert arrivals[-1] - arrivals[0] > 0.05, f"summaries all arrived at once: {arrivals}"
print(f"{order.count('reasoning')} reasoning deltas over {arrivals[-1] - arrivals[0]:.2f}s, answer: {content!r}")

step("Responses API with reasoning summaries (plain and streamed)")
response = client.responses.create(model="ponder", input="What is 12 + 7?", reasoning={"effort": "low", "summary": "auto"},
                                   max_output_tokens=96)
assert [item.type for item in response.output] == ["reasoning", "message"], response.output
assert response.output[0].summary and all(p.text.startswith("**") for p in response.output[0].summary), response.output[0]
assert isinstance(response.output_text, str), response
assert 0 <= response.usage.output_tokens_details.reasoning_tokens <= response.usage.output_tokens, response.usage
kinds = [event.type for event in client.responses.create(model="ponder", input="What is 3 + 4?", stream=True, max_output_tokens=96,
                                                          reasoning={"effort": "low", "summary": "concise"})]
for name in ["response.created", "response.reasoning_summary_text.delta", "response.completed"]:
    assert name in kinds, (name, kinds)
if "response.output_text.delta" in kinds:  # an answer, when the model wrote one, streams after the summaries
    assert kinds.index("response.output_text.delta") > max(i for i, k in enumerate(kinds) if k == "response.reasoning_summary_text.delta")

step("401 for a missing or wrong key")
for key in ["wrong-key"]:
    try:
        openai.OpenAI(base_url=BASE, api_key=key, max_retries=0).models.list()
        raise AssertionError("a wrong key was accepted")
    except openai.AuthenticationError as error:
        assert error.status_code == 401
status, _, body = raw("GET", "/v1/models", headers={"Authorization": ""})
expect_error(status, body, 401)

step("400s with OpenAI's error shape")
for kwargs, param in [(dict(n=3), "n"), (dict(max_completion_tokens=-1), "max_completion_tokens"),
                      (dict(messages=[]), "messages"), (dict(messages=[{"role": "wizard", "content": "hi"}]), "messages[0].role")]:
    arguments = dict(model="ponder", messages=QUESTION, reasoning_effort="none", max_completion_tokens=8)
    arguments.update(kwargs)
    try:
        client.chat.completions.create(**arguments)
        raise AssertionError(f"accepted {kwargs}")
    except openai.BadRequestError as error:
        assert error.status_code == 400 and error.body["param"] == param, (error.body, param)
try:
    client.chat.completions.create(model="no-such-model", messages=QUESTION)
    raise AssertionError("an unknown model was accepted")
except openai.NotFoundError as error:
    assert error.body["code"] == "model_not_found", error.body
status, _, body = raw("POST", "/v1/chat/completions", body='{"messages": [')
expect_error(status, body, 400, None)
status, _, body = raw("POST", "/v1/chat/completions", body={"messages": QUESTION, "temperature": "warm"})
expect_error(status, body, 400, "temperature")
status, _, body = raw("POST", "/v1/chat/completions", body={"messages": [{"role": "user", "content": "x" * 70000}]})
expect_error(status, body, 413)
status, _, body = raw("POST", "/v1/chat/completions", body={"messages": [{"role": "user", "content": "word " * 6000}],
                                                            "reasoning_effort": "none"})
expect_error(status, body, 400, "messages")
assert json.loads(body)["error"]["code"] == "context_length_exceeded", body

step("8 concurrent clients all get complete answers, matching the same questions asked one at a time")
questions = [f"What is {a} + {b}?" for a, b in [(2, 3), (10, 5), (7, 8), (21, 4), (6, 6), (13, 9), (40, 2), (3, 30)]]


def ask(question):
    r = client.chat.completions.create(model="ponder", messages=[{"role": "user", "content": question}], reasoning_effort="none",
                                       max_completion_tokens=24, temperature=0)
    return r.choices[0].message.content, r.choices[0].finish_reason, r.usage.completion_tokens


solo = [ask(q) for q in questions]
results = [None] * len(questions)
errors = []


def worker(index):
    try:
        results[index] = ask(questions[index])
    except Exception as error:  # noqa: BLE001 - reported below
        errors.append(repr(error))


threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(questions))]
started = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
for question, alone, together in zip(questions, solo, results):
    assert isinstance(together[0], str) and together[1] in ("stop", "length") and 0 < together[2] <= 24, (question, together)
# Decoded together, the sums differ from one-at-a-time decoding, so a greedy token may flip at a
# near tie: how many answers are identical is printed, not asserted.
matches = sum(alone[0] == together[0] for alone, together in zip(solo, results))
print(f"8 concurrent in {time.monotonic() - started:.1f}s; {matches}/8 identical to the one-at-a-time answers")

step("a client that disconnects mid-stream frees its slot at once")
before = metrics()
sock = socket.create_connection(("127.0.0.1", PORT))
body = json.dumps({"model": "ponder", "messages": QUESTION, "reasoning_effort": "high", "stream": True}).encode()
sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             + f"Authorization: Bearer {KEY}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
received = b""
while b"reasoning_content" not in received:
    received += sock.recv(65536)
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    during = metrics()
    if during["ponder_engine_active_sequences"] >= 1:
        break
    time.sleep(0.05)
assert during["ponder_requests_running"] >= 1 and during["ponder_engine_active_sequences"] >= 1, during
sock.close()
closed = time.monotonic()
deadline = closed + 15   # generous: one decode step of 8 sequences can take seconds on a loaded 2-core machine
while time.monotonic() < deadline:
    after = metrics()
    if after["ponder_requests_running"] == 0 and after["ponder_engine_active_sequences"] == 0 and after["ponder_engine_occupied_slots"] == 0:
        break
    time.sleep(0.1)
assert after["ponder_requests_running"] == 0 and after["ponder_engine_active_sequences"] == 0, after
assert after["ponder_client_disconnects_total"] >= before.get("ponder_client_disconnects_total", 0) + 1, after
print(f"slot freed {time.monotonic() - closed:.2f}s after the disconnect; the engine had {during['ponder_engine_active_sequences']:.0f} sequences")

step("overload yields 429 with Retry-After, not a crash")
statuses, retry_after = [], []


def flood():
    status, headers, _ = raw("POST", "/v1/chat/completions", body={"messages": QUESTION, "reasoning_effort": "low",
                                                                  "max_completion_tokens": 64})
    statuses.append(status)
    if status == 429:
        retry_after.append(headers.get("Retry-After"))


threads = [threading.Thread(target=flood) for _ in range(14)]
for t in threads: t.start()
for t in threads: t.join()
print("statuses:", sorted(statuses))
assert statuses.count(429) >= 1 and all(s in (200, 429) for s in statuses), statuses
assert all(value and value.isdigit() for value in retry_after), retry_after
assert raw("GET", "/health")[0] == 200

step("fuzz: random and mutated bodies (bounded) never crash or hang the server")
rng = random.Random(4)
seed_body = {"model": "ponder", "messages": QUESTION, "reasoning_effort": "none", "max_completion_tokens": 4,
             "stream": False, "n": 1, "temperature": 0.5, "ponder": {"samples": 2}}
junk = [None, True, -1, 0, 1e308, -1e308, "", "x" * 100, [], {}, [1, "a"], {"a": {"b": []}}, "\u0000\ud7ff", 2 ** 63]


def mutate(value, depth=0):
    if isinstance(value, dict) and value and depth < 3:
        value = dict(value)
        key = rng.choice(list(value))
        choice = rng.random()
        if choice < 0.3: value[key] = rng.choice(junk)
        elif choice < 0.5: del value[key]
        elif choice < 0.6: value["x" + str(rng.randint(0, 9))] = rng.choice(junk)
        else: value[key] = mutate(value[key], depth + 1)
        return value
    if isinstance(value, list) and value and depth < 3:
        value = list(value)
        index = rng.randrange(len(value))
        value[index] = mutate(value[index], depth + 1) if rng.random() < 0.7 else rng.choice(junk)
        return value
    return rng.choice(junk)


count, started = 0, time.monotonic()
while count < 150 and time.monotonic() - started < 90:
    kind = rng.random()
    if kind < 0.15:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    elif kind < 0.3:
        text = json.dumps(seed_body)
        cut = rng.randint(0, len(text))
        body = (text[:cut] + rng.choice(["", "}", "]", "\"", ",", "\\"]) + text[cut + 1:]).encode()
    else:
        mutated = mutate(seed_body)
        if isinstance(mutated, dict):
            mutated.setdefault("max_completion_tokens", 4)
            mutated.setdefault("reasoning_effort", "none")
        body = json.dumps(mutated).encode()
    path = rng.choice(["/v1/chat/completions", "/v1/responses"])
    status, _, data = raw("POST", path, body=body, timeout=60)
    assert status < 500, (status, body, data[:300])
    if status >= 400:
        expect_error(status, data, status)
    count += 1
assert raw("GET", "/health")[0] == 200
print(f"{count} fuzz requests in {time.monotonic() - started:.1f}s, server healthy")
print("all client checks passed")
