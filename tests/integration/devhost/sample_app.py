"""A small FunctionApp the dev host tests load: one function per behaviour they check.

Queue and timer functions append one JSON line per run to the file named by DEVHOST_SAMPLE_RECORDS.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import uuid
from datetime import UTC, datetime

import azure.functions as func
from azure.data.tables import TableServiceClient

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
_records_lock = threading.Lock()
_running_slow = 0


def record(function: str, **fields: object) -> None:
    line = json.dumps({"function": function, "at": datetime.now(UTC).isoformat(), **fields})
    with _records_lock, open(os.environ["DEVHOST_SAMPLE_RECORDS"], "a", encoding="utf-8") as records:
        records.write(line + "\n")


@app.route(route="echo/{kind:alpha}/{item_id:int}/{extra?}", methods=["GET", "POST"])
async def echo(req: func.HttpRequest) -> func.HttpResponse:
    payload = {
        "method": req.method,
        "url": req.url,
        "route_params": dict(req.route_params),
        "params": dict(req.params),
        "header": req.headers.get("x-sample"),
        "body": req.get_body().decode(),
    }
    response = func.HttpResponse(json.dumps(payload), status_code=201, mimetype="application/json")
    response.headers["X-Echo"] = "yes"
    response.headers.add("Set-Cookie", "session=abc; Path=/; HttpOnly")
    response.headers.add("Set-Cookie", "csrf=xyz; Path=/")
    return response


@app.route(route="text", methods=["GET"])
def plain_text(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("héllo")


@app.route(route="boom")
def boom(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("secret detail that must not reach the client")


@app.route(route="enqueue", methods=["POST"])
@app.queue_output(arg_name="out", queue_name="%SAMPLE_QUEUE%", connection="AzureWebJobsStorage")
def enqueue(req: func.HttpRequest, out: func.Out[str]) -> func.HttpResponse:
    out.set(req.get_body().decode())
    return func.HttpResponse(status_code=202)


@app.queue_trigger(arg_name="msg", queue_name="%SAMPLE_QUEUE%", connection="AzureWebJobsStorage")
async def take_message(msg: func.QueueMessage) -> None:
    record("take_message", body=msg.get_body().decode(), dequeue_count=msg.dequeue_count, id=msg.id)


@app.queue_trigger(arg_name="msg", queue_name="%FAILING_QUEUE%", connection="AzureWebJobsStorage")
def always_fails(msg: func.QueueMessage) -> None:
    record("always_fails", body=msg.get_body().decode(), dequeue_count=msg.dequeue_count)
    raise ValueError("this message can never be handled")


@app.queue_trigger(arg_name="msg", queue_name="%SLOW_QUEUE%", connection="AzureWebJobsStorage")
async def slow_message(msg: func.QueueMessage) -> None:
    # Async runs share the host's event loop, so a plain counter measures how many are in flight.
    global _running_slow
    _running_slow += 1
    try:
        record("slow_message", body=msg.get_body().decode(), running=_running_slow)
        await asyncio.sleep(0.5)
    finally:
        _running_slow -= 1


@app.timer_trigger(arg_name="timer", schedule="*/1 * * * * *")
def every_second(timer: func.TimerRequest) -> None:
    record("every_second", past_due=timer.past_due)


@app.timer_trigger(arg_name="timer", schedule="0 0 0 1 1 *", run_on_startup=True)
async def yearly_on_startup(timer: func.TimerRequest) -> None:
    record("yearly_on_startup", past_due=timer.past_due)


@app.route(route="clock", methods=["GET"])
def read_clock(req: func.HttpRequest) -> func.HttpResponse:
    """What the app sees as now (a sync function: it runs on a worker thread)."""
    return func.HttpResponse(
        json.dumps({"time": time.time(), "now": datetime.now(UTC).isoformat()}), mimetype="application/json"
    )


@app.route(route="table", methods=["POST"])
def table_round_trip(req: func.HttpRequest) -> func.HttpResponse:
    """Writes and reads back one entity in Azurite's Table service with the app's own clock signing."""
    with TableServiceClient.from_connection_string(os.environ["AzureWebJobsStorage"]) as service:  # noqa: SIM112
        table = service.create_table_if_not_exists("devhostsample")
        key = uuid.uuid4().hex
        table.upsert_entity({"PartitionKey": "p", "RowKey": key, "text": req.get_body().decode()})
        text = table.get_entity("p", key)["text"]
    return func.HttpResponse(json.dumps({"text": text}), mimetype="application/json")
