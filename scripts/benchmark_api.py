"""The NextMove REST API as scripts/benchmark.py uses it: a keep-alive client, the messages it sends, and the
archive system's peek -> pop -> delete."""
import base64
import http.client
import json
import os
import socket
import time

from benchmark_processes import PAYLOAD_BYTES, PROCESS, RECEIVER, SENDER

# ---------------------------------------------------------------------------------------------- HTTP

class Client:
    """One keep-alive connection to an integration point's API."""

    def __init__(self, port, username, password, timeout=600):
        self.port, self.timeout = port, timeout
        self.auth = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        self.connection = None

    def request(self, method, path, body=None, headers=None, stream_to=None):
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout,
                                                             blocksize=1 << 20)
            try:
                all_headers = {"Authorization": self.auth, **(headers or {})}
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                if stream_to is not None and response.status == 200:
                    while chunk := response.read(1 << 20):
                        stream_to.write(chunk)
                    return response.status, b""
                return response.status, response.read()
            except (ConnectionError, http.client.HTTPException, socket.timeout):
                self.connection.close()
                self.connection = None
                if attempt == 1 or (body is not None and not isinstance(body, (bytes, str))):
                    raise
        raise RuntimeError("unreachable")

    def json(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        status, reply = self.request(method, path, data, {"Content-Type": "application/json"} if data else None)
        if status != 200:
            raise RuntimeError(f"{method} {path} answered {status}: {reply[:300]!r}")
        return json.loads(reply)


def sbd(message_id):
    return {
        "standardBusinessDocumentHeader": {
            "headerVersion": "1.0",
            "sender": [{"identifier": {"authority": "iso6523-actorid-upis", "value": f"0192:{SENDER}"}}],
            "receiver": [{"identifier": {"authority": "iso6523-actorid-upis", "value": f"0192:{RECEIVER}"}}],
            "documentIdentification": {"standard": "urn:no:difi:arkivmelding:xsd::arkivmelding", "typeVersion": "2.0",
                                       "instanceIdentifier": message_id, "type": "arkivmelding"},
            "businessScope": {"scope": [{"type": "ConversationId", "identifier": PROCESS}]}},
        "arkivmelding": {"sikkerhetsnivaa": 3, "hoveddokument": "arkivmelding.xml"}}


ARKIVMELDING = """<?xml version="1.0" encoding="UTF-8"?>
<arkivmelding xmlns="http://www.arkivverket.no/standarder/noark5/arkivmelding" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <system>benchmark</system>
  <meldingId>{id}</meldingId>
  <tidspunkt>2026-01-01T12:00:00+01:00</tidspunkt>
  <antallFiler>1</antallFiler>
  <mappe xsi:type="saksmappe">
    <systemID>bench-sak-{id}</systemID>
    <tittel>Ytelsesprøve</tittel>
    <registrering xsi:type="journalpost">
      <systemID>bench-jp-{id}</systemID>
      <tittel>Vedtak</tittel>
      <offentligTittel>Vedtak</offentligTittel>
      <journalpostnummer>1</journalpostnummer>
      <dokumentbeskrivelse>
        <dokumenttype>Brev</dokumenttype>
        <tittel>Vedtak</tittel>
        <tilknyttetRegistreringSom>Hoveddokument</tilknyttetRegistreringSom>
        <dokumentnummer>1</dokumentnummer>
        <dokumentobjekt>
          <versjonsnummer>1</versjonsnummer>
          <variantformat>Produksjonsformat</variantformat>
          <referanseDokumentfil>vedtak.pdf</referanseDokumentfil>
        </dokumentobjekt>
      </dokumentbeskrivelse>
    </registrering>
  </mappe>
</arkivmelding>
"""


def documents(message_id):
    xml = ARKIVMELDING.format(id=message_id).encode()
    pad = max(0, PAYLOAD_BYTES - len(xml) - 40)
    pdf = b"%PDF-1.4\n% " + os.urandom(pad // 2).hex().encode()[:pad] + b"\n%%EOF\n"
    return xml, pdf


def send_one(client, message_id, calls=None):
    """create, upload arkivmelding.xml, upload vedtak.pdf, send; returns the seconds until the send was accepted.
    With `calls` (a dict), also appends each call's seconds under "create", "upload" and "send"."""
    xml, pdf = documents(message_id)
    start = time.monotonic()

    def timed(name, began):
        if calls is not None:
            calls.setdefault(name, []).append(time.monotonic() - began)

    began = time.monotonic()
    client.json("POST", "/api/messages/out", sbd(message_id))
    timed("create", began)
    for body, kind, name, filename in ((xml, "application/xml", "Arkivmelding", "arkivmelding.xml"),
                                       (pdf, "application/pdf", "Vedtak", "vedtak.pdf")):
        began = time.monotonic()
        status, reply = client.request("PUT", f"/api/messages/out/{message_id}", body, {
            "Content-Type": kind, "Content-Disposition": f'attachment; name="{name}"; filename="{filename}"'})
        if status != 200:
            raise RuntimeError(f"upload {filename} answered {status}: {reply[:300]!r}")
        timed("upload", began)
    began = time.monotonic()
    status, reply = client.request("POST", f"/api/messages/out/{message_id}")
    if status != 200:
        raise RuntimeError(f"send answered {status}: {reply[:300]!r}")
    timed("send", began)
    return time.monotonic() - start


def archive_once(client, stream_to=None):
    """peek -> pop -> delete at the receiver; returns the messageId taken, or None when there is nothing."""
    status, reply = client.request("GET", "/api/messages/in/peek")
    if status == 204:
        return None
    if status != 200:
        raise RuntimeError(f"peek answered {status}: {reply[:300]!r}")
    message_id = json.loads(reply)["standardBusinessDocumentHeader"]["documentIdentification"]["instanceIdentifier"]
    status, reply = client.request("GET", f"/api/messages/in/pop/{message_id}", stream_to=stream_to)
    if status != 200:
        raise RuntimeError(f"pop {message_id} answered {status}: {reply[:300]!r}")
    status, reply = client.request("DELETE", f"/api/messages/in/{message_id}")
    if status != 200:
        raise RuntimeError(f"delete {message_id} answered {status}: {reply[:300]!r}")
    return message_id


def all_statuses(client):
    result, page = [], 0
    while True:
        data = client.json("GET", f"/api/statuses?size=2000&page={page}")
        result.extend(data["content"])
        if data.get("last", True):
            return result
        page += 1


def count_status(client, status):
    return client.json("GET", f"/api/statuses?status={status}&size=1")["totalElements"]
