#!/usr/bin/env python3
"""Writes the OpenAPI 3 document of the NextMove API.

Outputs, both committed:
  openapi/openapi.json                          the document
  Sources/HTTPAPI/OpenAPI/OpenAPIDocument.swift the same text as a Swift string constant, served at
                                                GET /api/openapi.json

Run it after changing a route: `python3 scripts/generate-openapi.py`. `OpenAPIDocumentTests` fails when the router
and the document disagree, and when the Swift constant is not the file's text.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def string(description=None, **extra):
    s = {"type": "string", **extra}
    if description:
        s["description"] = description
    return s


def obj(properties, required=(), description=None):
    s = {"type": "object", "properties": properties}
    if required:
        s["required"] = list(required)
    if description:
        s["description"] = description
    return s


SERVICE_IDENTIFIERS = ["DPO", "DPV", "DPI", "DPF", "DPE", "DPH", "UNKNOWN"]
RECEIPT_STATUSES = ["OPPRETTET", "SENDT", "MOTTATT", "LEVERT", "LEST", "FEIL", "ANNET",
                    "INNKOMMENDE_MOTTATT", "INNKOMMENDE_LEVERT", "LEVETID_UTLOPT"]
MESSAGE_TYPES = ["status", "arkivmelding", "arkivmelding_kvittering", "avtalt", "digital", "digital_dpv", "print",
                 "dialogmelding", "dialogmelding_kvittering", "innsynskrav", "publisering", "einnsyn_kvittering"]

# --- schemas -------------------------------------------------------------------------------------------------------

DATE_TIME = string("ISO-8601 date-time with offset; a value without offset is read as Europe/Oslo time.")

schemas = {}

schemas["ErrorBody"] = obj({
    "timestamp": string("When the error happened, ISO-8601 with the Oslo offset."),
    "status": {"type": "integer", "description": "The HTTP status code."},
    "error": string("The HTTP reason phrase."),
    "exception": string("The upstream (Java) exception class name, for clients that match on it."),
    "message": string("What went wrong and, where possible, how to fix it."),
    "path": string("The request path."),
    "description": string("Extra detail (receiver does not accept the process: the service registry's text)."),
    "errors": {"type": "array", "items": ref("FieldViolation")},
}, required=["timestamp", "status", "error", "message", "path"],
    description="The upstream error body (`nextmove-api.md` §1.3). Every 4xx and 5xx answer carries it.")

schemas["FieldViolation"] = obj({
    "codes": {"type": "array", "items": string()},
    "defaultMessage": string(),
    "objectName": string(),
    "field": string(),
    "rejectedValue": {},
    "bindingFailure": {"type": "boolean"},
    "code": string(),
})

schemas["PartnerIdentification"] = obj({
    "authority": string("`iso6523-actorid-upis` for organisations and persons, `nhn-actorid` for DPH."),
    "value": string("`0192:<orgnr>[:<part orgnr>]`, an 11-digit person number, or `her-id:<n>`."),
}, required=["authority", "value"])

schemas["ContactInformation"] = obj({
    "contact": string(), "emailAddress": string(), "faxNumber": string(), "telephoneNumber": string(),
    "contactTypeIdentifier": string(),
})

schemas["Partner"] = obj({
    "identifier": ref("PartnerIdentification"),
    "contactInformation": {"type": "array", "items": ref("ContactInformation")},
}, required=["identifier"])

schemas["DocumentIdentification"] = obj({
    "standard": string("The document type identifier; ends with `::<type>`, e.g. `urn:no:difi:arkivmelding:xsd::arkivmelding`."),
    "typeVersion": string(),
    "instanceIdentifier": string("The messageId (a UUID); generated when absent."),
    "type": string("The business message type; also the name of the business message member.", enum=MESSAGE_TYPES),
    "multipleType": {"type": "boolean"},
    "creationDateAndTime": DATE_TIME,
}, required=["standard", "typeVersion", "type"])

schemas["ScopeInformation"] = obj({
    "expectedResponseDateTime": DATE_TIME,
    "requestingDocumentCreationDateTime": DATE_TIME,
    "requestingDocumentInstanceIdentifier": string(),
})

schemas["Scope"] = obj({
    "type": string(enum=["ConversationId", "JournalpostId", "ParentId", "SenderRef", "ReceiverRef", "MessageChannel"]),
    "instanceIdentifier": string("For ConversationId: the conversationId (a UUID; generated when absent)."),
    "identifier": string("For ConversationId: the process identifier."),
    "scopeInformation": {"type": "array", "items": ref("ScopeInformation")},
}, required=["type"])

schemas["ManifestItem"] = obj({
    "mimeTypeQualifierCode": string(), "uniformResourceIdentifier": string(), "description": string(),
    "languageCode": string(),
})

schemas["Manifest"] = obj({
    "numberOfItems": {"type": "integer"},
    "manifestItem": {"type": "array", "items": ref("ManifestItem")},
})

schemas["StandardBusinessDocumentHeader"] = obj({
    "headerVersion": string(example="1.0"),
    "sender": {"type": "array", "maxItems": 1, "items": ref("Partner"),
               "description": "Defaults to the integration point's own organisation."},
    "receiver": {"type": "array", "maxItems": 1, "items": ref("Partner")},
    "documentIdentification": ref("DocumentIdentification"),
    "manifest": ref("Manifest"),
    "businessScope": obj({"scope": {"type": "array", "minItems": 1, "items": ref("Scope")}}, required=["scope"]),
}, required=["headerVersion", "documentIdentification", "businessScope"])

# Business messages (`nextmove-api.md` §3.5).
schemas["DpvSettings"] = obj({
    "varselType": string("`VarselDPVMedRevarsel` (default: a reminder is sent) or `VarselDPVUtenRevarsel` (none).",
                         example="VarselDPVMedRevarsel"),
    "varselTransportType": string("`Epost`, `SMS` or `EpostOgSMS`; unset: from `difi.move.dpv.notifyEmail`/`notifySms`.",
                                  example="EpostOgSMS"),
    "varselTekst": string("The notification text instead of `difi.move.dpv.notification-text`; `$reporterName$` "
                          "becomes the sender's name."),
    "taushetsbelagtVarselTekst": string("The same for a confidential message (the receiver's resource is "
                                        "`difi.move.dpv.sensitiveResource`)."),
    "dagerTilSvarfrist": {"type": "integer", "description": "Days until the correspondence's due date; 0 or less: no "
                          "due date. Unset: `difi.move.dpv.daysToReply` when `enableDueDate`."},
}, description="DPV (Altinn 3 Correspondence): how the recipient is notified, and the due date.")
schemas["PostAddress"] = obj({k: string() for k in [
    "navn", "adresselinje1", "adresselinje2", "adresselinje3", "adresselinje4", "postnummer", "poststed", "land"]})
schemas["KvitteringStatusMessage"] = obj({"code": string(), "text": string()})

schemas["ArkivmeldingMessage"] = obj({
    "hoveddokument": string("File name of the main document."),
    "sikkerhetsnivaa": {"type": "integer", "example": 3},
    "dpv": ref("DpvSettings"),
    "dpf": obj({"forsendelseType": string()}),
}, description="An archive message (`arkivmelding.xml` plus documents). Over DPO the files travel in a signed, "
               "encrypted ASiC-E. Over DPV the journalpost's `offentligTittel` (else `tittel`) is the correspondence's "
               "title and summary and its `tittel` the body, and only the files `arkivmelding.xml` refers to are "
               "attached, in upload order.")
schemas["ArkivmeldingKvitteringMessage"] = obj({
    "receiptType": string(example="OK"), "relatedToMessageId": string(),
    "messages": {"type": "array", "items": ref("KvitteringStatusMessage")}, "hoveddokument": string(),
})
schemas["AvtaltMessage"] = obj({"identifier": string(), "content": {"description": "Any JSON value."},
                                "hoveddokument": string()})
schemas["DigitalMessage"] = obj({
    "sikkerhetsnivaa": {"type": "integer"}, "hoveddokument": string(), "avsenderId": string(),
    "fakturaReferanse": string(), "tittel": string(), "spraak": string(),
    "digitalPostInfo": obj({"virkningsdato": string(format="date"), "aapningskvittering": {"type": "boolean"}}),
    "varsler": obj({"epostTekst": string(), "smsTekst": string()}),
    "metadataFiler": {"type": "object", "additionalProperties": string()},
})
schemas["DigitalDpvMessage"] = obj({
    "tittel": string("The correspondence's title in Altinn."),
    "sammendrag": string("Its summary."),
    "innhold": string("Its body; \"Ingen innhold\" when empty."),
    "dpv": ref("DpvSettings"), "hoveddokument": string()},
    description="A message to a business or a person in Altinn (DPV). Every uploaded file is attached, with its "
                "title as the name shown. Under the process `urn:no:difi:profile:digitalpost:info:ver1.0` the "
                "recipient's reservation against digital post is ignored.")
schemas["PrintMessage"] = obj({
    "hoveddokument": string(), "avsenderId": string(), "fakturaReferanse": string(),
    "mottaker": ref("PostAddress"),
    "utskriftsfarge": string(example="SORT_HVIT"), "posttype": string(example="B_OEKONOMI"),
    "retur": obj({"mottaker": ref("PostAddress"), "returhaandtering": string(example="DIREKTE_RETUR")}),
    "printinstruksjoner": {"type": "object", "additionalProperties": string()},
})
schemas["DialogmeldingMessage"] = obj({
    "hoveddokument": string(),
    "pasient": obj({"fnr": string(), "fornavn": string(), "mellomnavn": string(), "etternavn": string()}),
    "metadataFiler": {"type": "object", "additionalProperties": obj({"issueDate": DATE_TIME,
                                                                     "description": string()})},
})
schemas["DialogmeldingKvitteringMessage"] = obj({
    "relatedToMessageId": string(), "status": string(example="OK"),
    "messages": {"type": "array", "items": ref("KvitteringStatusMessage")}, "rawReceipt": string(),
})
schemas["InnsynskravMessage"] = obj({"orgnr": string(), "epost": string(), "hoveddokument": string()})
schemas["PubliseringMessage"] = obj({"orgnr": string(), "hoveddokument": string()})
schemas["EinnsynKvitteringMessage"] = obj({"dokumentId": string(), "status": string(),
                                           "referanseType": string(), "hoveddokument": string()})
schemas["StatusMessage"] = obj({"status": string(example="LEVERT"), "hoveddokument": string()})

BUSINESS = {
    "arkivmelding": "ArkivmeldingMessage", "arkivmelding_kvittering": "ArkivmeldingKvitteringMessage",
    "avtalt": "AvtaltMessage", "digital": "DigitalMessage", "digital_dpv": "DigitalDpvMessage",
    "print": "PrintMessage", "dialogmelding": "DialogmeldingMessage",
    "dialogmelding_kvittering": "DialogmeldingKvitteringMessage", "innsynskrav": "InnsynskravMessage",
    "publisering": "PubliseringMessage", "einnsyn_kvittering": "EinnsynKvitteringMessage", "status": "StatusMessage",
}
assert sorted(BUSINESS) == sorted(MESSAGE_TYPES)

sbd_properties = {"standardBusinessDocumentHeader": ref("StandardBusinessDocumentHeader")}
sbd_properties.update({k: ref(v) for k, v in BUSINESS.items()})
schemas["StandardBusinessDocument"] = {
    "type": "object",
    "description": "The header plus exactly one business message, whose member name equals "
                   "`standardBusinessDocumentHeader.documentIdentification.type` (`nextmove-api.md` §3).",
    "properties": sbd_properties,
    "required": ["standardBusinessDocumentHeader"],
    "minProperties": 2,
    "maxProperties": 2,
}

schemas["Sort"] = obj({"empty": {"type": "boolean"}, "sorted": {"type": "boolean"}, "unsorted": {"type": "boolean"}},
                      required=["empty", "sorted", "unsorted"])
schemas["Pageable"] = obj({
    "pageNumber": {"type": "integer"}, "pageSize": {"type": "integer"}, "sort": ref("Sort"),
    "offset": {"type": "integer"}, "paged": {"type": "boolean"}, "unpaged": {"type": "boolean"},
}, required=["pageNumber", "pageSize", "sort", "offset", "paged", "unpaged"])


def page_of(name):
    return obj({
        "content": {"type": "array", "items": ref(name)},
        "pageable": ref("Pageable"),
        "last": {"type": "boolean"}, "totalElements": {"type": "integer"}, "totalPages": {"type": "integer"},
        "first": {"type": "boolean"}, "size": {"type": "integer"}, "number": {"type": "integer"},
        "sort": ref("Sort"), "numberOfElements": {"type": "integer"}, "empty": {"type": "boolean"},
    }, required=["content", "pageable", "last", "totalElements", "totalPages", "first", "size", "number", "sort",
                 "numberOfElements", "empty"],
        description=f"A Spring Data page of {name}.")


schemas["MessageStatus"] = obj({
    "id": {"type": "integer", "format": "int64"}, "lastUpdate": DATE_TIME,
    "status": string(enum=RECEIPT_STATUSES), "description": string(), "rawReceipt": string(),
    "convId": {"type": "integer", "format": "int64"}, "messageId": string(), "conversationId": string(),
}, required=["id", "lastUpdate", "status"])
schemas["ConversationStatus"] = obj({
    "id": {"type": "integer", "format": "int64"}, "lastUpdate": DATE_TIME,
    "status": string(enum=RECEIPT_STATUSES), "description": string(),
}, required=["id", "lastUpdate", "status"])
schemas["Conversation"] = obj({
    "id": {"type": "integer", "format": "int64"}, "conversationId": string(), "messageId": string(),
    "sender": string(), "senderIdentifier": string(), "receiver": string(), "receiverIdentifier": string(),
    "processIdentifier": string(), "documentIdentifier": string(), "messageReference": string(),
    "messageTitle": string(), "lastUpdate": DATE_TIME, "finished": {"type": "boolean"}, "expiry": DATE_TIME,
    "direction": string(enum=["INCOMING", "OUTGOING"]), "serviceIdentifier": string(enum=SERVICE_IDENTIFIERS),
    "externalSystemReference": string("The channel's id of the message: the Altinn correspondence id (DPV), the "
                                      "SvarUt forsendelse id (DPF)."),
    "messageStatuses": {"type": "array", "items": ref("ConversationStatus")},
}, required=["id", "conversationId", "messageId"])
schemas["Subscription"] = obj({
    "id": {"type": "integer", "format": "int64", "description": "Set by the integration point."},
    "name": string(), "pushEndpoint": string("An http or https URL; it is pinged before the subscription is kept."),
    "resource": string(enum=["all", "messages"]), "event": string(enum=["all", "status"]),
    "filter": string("e.g. `status=FEIL,LEVETID_UTLOPT&direction=INCOMING&serviceIdentifier=DPO`."),
}, description="A webhook subscription (`nextmove-api.md` §6.1).")
schemas["PostalAddress"] = obj({
    "name": string(), "street": string("Street lines separated by `;`."), "postalCode": string(),
    "postalArea": string(), "country": string(),
}, description="A citizen's postal address, or where undeliverable print goes back to, from the service registry's DPI record.")
schemas["Capabilities"] = obj({"capabilities": {"type": "array", "items": obj({
    "process": string(), "serviceIdentifier": string(enum=SERVICE_IDENTIFIERS),
    "postAddress": ref("PostalAddress") | {"description": "DPI only: where a print letter goes."},
    "returnAddress": ref("PostalAddress") | {"description": "DPI only: where undeliverable print goes back to."},
    "documentTypes": {"type": "array", "items": obj({"type": string(), "standard": string()},
                                                    required=["standard"])},
    "digitalPostAddress": obj({
        "supplier": string("The postbox provider's organisation number."),
        "address": string("The citizen's mailbox address there."),
    }, description="DPI only: the citizen's digital mailbox; without one, send `print`."),
}, required=["process", "serviceIdentifier", "documentTypes"])}}, required=["capabilities"])
schemas["Health"] = obj({
    "status": string(enum=["UP", "DOWN"]),
    "components": {"type": "object", "additionalProperties": obj({
        "status": string(), "details": {"type": "object", "additionalProperties": string()}}, required=["status"])},
}, required=["status"])
schemas["Info"] = obj({"app": {"type": "object", "additionalProperties": string()}}, required=["app"])
for name in ["StandardBusinessDocument", "MessageStatus", "Conversation", "Subscription"]:
    schemas[f"PageOf{name}"] = page_of(name)

# --- responses and parameters ---------------------------------------------------------------------------------------

ERROR_TEXT = {
    "400": "Bad input: a parameter, header or body that is malformed or breaks a rule. Never a 5xx (DECISIONS 3).",
    "401": "Credentials missing or wrong (HTTP Basic).",
    "404": "Not found.",
    "415": "Unsupported media type.",
    "500": "The integration point could not complete the request; the log has the details.",
    "502": "The service registry could not be reached; nothing was stored. Try again later.",
}


def error(code):
    return {"$ref": f"#/components/responses/Error{code}"}


responses = {f"Error{code}": {"description": text, "content": {"application/json": {"schema": ref("ErrorBody")}}}
             for code, text in ERROR_TEXT.items()}


def json_ok(schema_name, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


EMPTY_OK = {"description": "OK, empty body."}
NO_CONTENT = {"description": "Nothing to return."}


def q(name, description, schema=None, explode_list=False):
    # An empty value (`?size=`) counts as absent, as in Spring.
    p = {"name": name, "in": "query", "required": False, "description": description,
         "schema": schema or string(), "allowEmptyValue": True}
    return p


def path_param(name, description, schema=None):
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema or string()}


PAGING = [
    q("page", "Zero-based page number.", {"type": "integer", "minimum": 0, "maximum": 1000000}),
    q("size", "Page size (default 10).", {"type": "integer", "minimum": 1, "maximum": 2000}),
    q("sort", "`property[,asc|desc]`; repeatable.", string()),
]
LIST = {"type": "string", "description": "Comma-separated values, or the parameter repeated; exact match."}


def list_q(name, description, items=None):
    p = q(name, description + " Repeat the parameter, or separate values with commas, for several values.",
          {"type": "array", "items": items or string()})
    p["style"] = "form"
    p["explode"] = True
    return p


SERVICE_Q = list_q("serviceIdentifier", "Service identifier.", string(enum=SERVICE_IDENTIFIERS))
MESSAGE_FILTERS = [list_q("conversationId", "conversationId."), list_q("messageId", "messageId."),
                   list_q("receiverIdentifier", "Bare receiver identifier (`910075918`)."),
                   list_q("senderIdentifier", "Bare sender identifier."), SERVICE_Q]
MESSAGE_ID = path_param("messageId", "The messageId (the SBD's `documentIdentification.instanceIdentifier`).")


def op(summary, tag, responses_, parameters=None, body=None, security=True, description=None, op_id=None):
    o = {"tags": [tag], "summary": summary, "operationId": op_id, "responses": responses_}
    if description:
        o["description"] = description
    if parameters:
        o["parameters"] = parameters
    if body:
        o["requestBody"] = body
    if not security:
        o["security"] = []
    else:
        o["responses"].setdefault("401", error(401))
    return o


SBD_BODY = {"required": True, "content": {"application/json": {"schema": ref("StandardBusinessDocument")}}}
SUBSCRIPTION_BODY = {"required": True, "content": {"application/json": {"schema": ref("Subscription")}}}

paths = {
    "/api/capabilities/{receiverIdentifier}": {"get": op(
        "What a receiver can receive", "capabilities",
        {"200": json_ok("Capabilities"), "400": error(400), "404": error(404), "502": error(502)},
        [path_param("receiverIdentifier", "Organisation number, person number or other identifier."),
         q("securityLevel", "Security level (3 or 4).", {"type": "integer"}),
         q("process", "Only this process identifier.")], op_id="getCapabilities")},
    "/api/messages/out": {
        "post": op("Create an outgoing message", "messages-out",
                   {"200": json_ok("StandardBusinessDocument", "The stored SBD with defaults filled in."),
                    "400": error(400), "415": error(415), "502": error(502)}, body=SBD_BODY,
                   op_id="createMessage",
                   description="Step 1 of create → upload → send. Resending the same SBD answers the original."),
        "get": op("Find outgoing messages not yet sent", "messages-out",
                  {"200": json_ok("PageOfStandardBusinessDocument"), "400": error(400)},
                  MESSAGE_FILTERS + [list_q("processIdentifier", "Process identifier.")] + PAGING,
                  op_id="findOutgoingMessages"),
    },
    "/api/messages/out/multipart": {"post": op(
        "Create and send in one request", "messages-out",
        {"200": json_ok("StandardBusinessDocument"), "400": error(400), "415": error(415), "502": error(502)},
        body={"required": True, "content": {"multipart/form-data": {
            "schema": obj({"sbd": ref("StandardBusinessDocument")}, required=["sbd"],
                          description="The `sbd` field (no filename) and one part per file: the part's name is the "
                                      "file's title, its filename the file name, its Content-Type the MIME type. "
                                      "All or nothing: on any 400 nothing is stored."),
            "encoding": {"sbd": {"contentType": "application/json"}}}}},
        op_id="createAndSendMultipart")},
    "/api/messages/out/{messageId}": {
        "get": op("Get an outgoing message not yet sent", "messages-out",
                  {"200": json_ok("StandardBusinessDocument"), "400": error(400), "404": error(404)}, [MESSAGE_ID],
                  op_id="getOutgoingMessage",
                  description="Also answers for a message whose time to live passed before it was sent: it is kept, "
                              "without its files, until housekeeping removes it with its conversation."),
        "put": op("Upload one file", "messages-out",
                  {"200": EMPTY_OK, "400": error(400), "404": error(404)},
                  [MESSAGE_ID,
                   {"name": "Content-Disposition", "in": "header", "required": True,
                    "description": "`attachment; name=\"<title>\"; filename=\"<file name>\"` (RFC 5987 `filename*=` "
                                   "too). The file name must be a plain name: no path, no `..`, no NUL.",
                    "schema": string(example='attachment; name="Vedtak"; filename="vedtak.pdf"')},
                   q("title", "Overrides the title from Content-Disposition's `name`.")],
                  body={"required": True, "description": "The file's bytes, streamed; the request's Content-Type "
                                                         "(required) is the file's MIME type.",
                        "content": {"*/*": {"schema": string(format="binary")}}},
                  op_id="uploadFile",
                  description="400 `MessageAlreadySentException` once the send was accepted, and 400 "
                              "`TimeToLiveException` once the message expired."),
        "post": op("Send", "messages-out", {"200": EMPTY_OK, "400": error(400), "404": error(404)}, [MESSAGE_ID],
                   op_id="sendMessage",
                   description="After `expectedResponseDateTime`: 400 `TimeToLiveException` (`ExpectedResponseDateTime "
                               "… has been exceeded. Please resend the message`), also when the expiry sweep ended "
                               "the message first; its conversation shows OPPRETTET, then LEVETID_UTLOPT. A send "
                               "repeated after one was accepted answers 200 and sends nothing twice."),
        "delete": op("Delete an outgoing message not yet sent", "messages-out",
                     {"200": EMPTY_OK, "400": error(400)}, [MESSAGE_ID], op_id="deleteOutgoingMessage"),
    },
    "/api/messages/in": {"get": op(
        "Find incoming messages", "messages-in", {"200": json_ok("PageOfStandardBusinessDocument"), "400": error(400)},
        MESSAGE_FILTERS + [list_q("process", "Process identifier.")] + PAGING, op_id="findIncomingMessages")},
    "/api/messages/in/peek": {"get": op(
        "Lock and return the oldest incoming message", "messages-in",
        {"200": json_ok("StandardBusinessDocument"), "204": NO_CONTENT, "400": error(400)},
        MESSAGE_FILTERS + [list_q("process", "Process identifier.")], op_id="peekIncomingMessage")},
    "/api/messages/in/pop/{messageId}": {"get": op(
        "Download a locked message's ASiC-E", "messages-in",
        {"200": {"description": "The decrypted ASiC-E container.",
                 "content": {"application/vnd.etsi.asic-e+zip": {"schema": string(format="binary")}}},
         "204": {"description": "A receipt: there is no container."}, "400": error(400), "404": error(404)},
        [MESSAGE_ID], op_id="popIncomingMessage")},
    "/api/messages/in/{messageId}": {"delete": op(
        "Acknowledge (delete) a locked incoming message", "messages-in",
        {"200": json_ok("StandardBusinessDocument"), "400": error(400), "404": error(404)}, [MESSAGE_ID],
        op_id="deleteIncomingMessage")},
    "/api/statuses": {"get": op(
        "Find statuses", "statuses", {"200": json_ok("PageOfMessageStatus"), "400": error(400)},
        [q("id", "Status id.", {"type": "integer", "format": "int64"}),
         list_q("conversationId", "conversationId."), list_q("messageId", "messageId."),
         list_q("status", "Status name, e.g. LEVERT."),
         q("fromDateTime", "ISO-8601 date-time; applied with toDateTime.", string(format="date-time")),
         q("toDateTime", "ISO-8601 date-time; applied with fromDateTime.", string(format="date-time"))] + PAGING,
        op_id="findStatuses")},
    "/api/statuses/peek": {"get": op(
        "The oldest status on the status queue", "statuses",
        {"200": json_ok("MessageStatus"), "204": NO_CONTENT}, op_id="peekStatus")},
    "/api/statuses/{id}": {
        "get": op("Statuses of a message", "statuses", {"200": json_ok("PageOfMessageStatus"), "400": error(400)},
                  [path_param("id", "The messageId (this route reads the segment as a messageId).")] + PAGING,
                  op_id="getStatusesOfMessage"),
        "delete": op("Remove a status from the status queue", "statuses",
                     {"200": EMPTY_OK, "404": {"description": "Not on the queue; empty body."}},
                     [path_param("id", "The status id.", {"type": "integer", "format": "int64"})],
                     op_id="removeStatus"),
    },
    "/api/conversations": {"get": op(
        "Find conversations", "conversations", {"200": json_ok("PageOfConversation"), "400": error(400)},
        [list_q(n, n + ".") for n in ["conversationId", "messageId", "receiver", "receiverIdentifier", "sender",
                                      "senderIdentifier"]]
        + [SERVICE_Q, list_q("messageReference", "messageReference."), list_q("messageTitle", "messageTitle."),
           q("pollable", "Only pollable (true) or not (false).", {"type": "boolean"}),
           q("finished", "Only finished (true) or not (false).", {"type": "boolean"}),
           q("direction", "INCOMING or OUTGOING.", string(enum=["INCOMING", "OUTGOING"])),
           q("lastUpdateFrom", "First day, yyyy-MM-dd (Oslo).", string(format="date")),
           q("lastUpdateTo", "Last day, yyyy-MM-dd (Oslo).", string(format="date"))] + PAGING,
        op_id="findConversations")},
    "/api/conversations/queue": {"get": op(
        "Conversations still pollable", "conversations", {"200": json_ok("PageOfConversation"), "400": error(400)},
        PAGING, op_id="conversationQueue")},
    "/api/conversations/messageId/{messageId}": {
        "get": op("Outgoing conversation of a message", "conversations",
                  {"200": json_ok("Conversation"), "400": error(400), "404": error(404)}, [MESSAGE_ID],
                  op_id="getConversationByMessageId"),
        "delete": op("Delete a conversation by messageId", "conversations", {"200": EMPTY_OK, "400": error(400)},
                     [MESSAGE_ID], op_id="deleteConversationByMessageId"),
    },
    "/api/conversations/{id}": {
        "get": op("Outgoing conversation by database id", "conversations",
                  {"200": json_ok("Conversation"), "400": error(400), "404": error(404)},
                  [path_param("id", "Database id.", {"type": "integer", "format": "int64"})],
                  op_id="getConversation"),
        "delete": op("Delete a conversation by database id", "conversations", {"200": EMPTY_OK, "400": error(400)},
                     [path_param("id", "Database id.", {"type": "integer", "format": "int64"})],
                     op_id="deleteConversation"),
    },
    "/api/subscriptions": {
        "get": op("List webhook subscriptions", "subscriptions",
                  {"200": json_ok("PageOfSubscription"), "400": error(400)}, PAGING, op_id="listSubscriptions"),
        "post": op("Create a webhook subscription (the endpoint is pinged first)", "subscriptions",
                   {"200": json_ok("Subscription"), "400": error(400)}, body=SUBSCRIPTION_BODY,
                   op_id="createSubscription"),
        "delete": op("Delete all webhook subscriptions", "subscriptions", {"200": EMPTY_OK},
                     op_id="deleteAllSubscriptions"),
    },
    "/api/subscriptions/{id}": {
        "get": op("Get a webhook subscription", "subscriptions",
                  {"200": json_ok("Subscription"), "400": error(400), "404": error(404)},
                  [path_param("id", "Subscription id.", {"type": "integer", "format": "int64"})],
                  op_id="getSubscription"),
        "put": op("Change a webhook subscription", "subscriptions",
                  {"200": EMPTY_OK, "400": error(400), "404": error(404)},
                  [path_param("id", "Subscription id.", {"type": "integer", "format": "int64"})],
                  body=SUBSCRIPTION_BODY, op_id="updateSubscription"),
        "delete": op("Delete a webhook subscription", "subscriptions",
                     {"200": EMPTY_OK, "400": error(400), "404": error(404)},
                     [path_param("id", "Subscription id.", {"type": "integer", "format": "int64"})],
                     op_id="deleteSubscription"),
    },
    "/api/openapi.json": {"get": op(
        "This document", "meta",
        {"200": {"description": "The OpenAPI document.", "content": {"application/json": {"schema": {
            "type": "object"}}}}}, op_id="getOpenAPIDocument")},
    "/manage/health": {"get": op("Health (no credentials needed)", "manage",
                                 {"200": json_ok("Health"), "503": json_ok("Health", "The database does not answer.")},
                                 security=False, op_id="health")},
    "/manage/health/liveness": {"get": op("Liveness probe (no credentials needed)", "manage",
                                          {"200": json_ok("Health")}, security=False, op_id="liveness")},
    "/manage/health/readiness": {"get": op(
        "Readiness probe (no credentials needed)", "manage",
        {"200": json_ok("Health"), "503": json_ok("Health", "The database does not answer.")},
        security=False, op_id="readiness")},
    "/manage/info": {"get": op("Build and version information", "manage", {"200": json_ok("Info")}, op_id="info")},
}


def share_parameters(paths_):
    """Moves every parameter used by more than one operation to components.parameters and refers to it there,
    so the document says once what `page`, `size`, `sort` and the message filters mean."""
    seen = {}
    for item in paths_.values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                key = json.dumps(parameter, sort_keys=True)
                seen.setdefault(key, []).append(parameter)
    shared, names = {}, {}
    for key, uses in seen.items():
        if len(uses) < 2:
            continue
        parameter = uses[0]
        name = parameter["name"] if parameter["in"] == "query" else parameter["name"] + "Path"
        while name in shared:  # the same name with another meaning
            name += "_"
        shared[name] = parameter
        names[key] = name
    for item in paths_.values():
        for operation in item.values():
            if "parameters" in operation:
                operation["parameters"] = [
                    {"$ref": "#/components/parameters/" + names[json.dumps(p, sort_keys=True)]}
                    if json.dumps(p, sort_keys=True) in names else p for p in operation["parameters"]]
    return dict(sorted(shared.items()))


shared_parameters = share_parameters(paths)

document = {
    "openapi": "3.0.3",
    "info": {
        "title": "integrasjonspunkt NextMove API",
        "version": "1.0.0",
        "description": "The eFormidling integration point's NextMove REST API, as this implementation serves it. "
                       "Errors carry the upstream error body (`ErrorBody`). Bad input is always a 4xx.",
    },
    "servers": [{"url": "/"}],
    "security": [{"basicAuth": []}],
    "tags": [{"name": n} for n in ["messages-out", "messages-in", "statuses", "conversations", "subscriptions",
                                    "capabilities", "manage", "meta"]],
    "paths": paths,
    "components": {
        "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic",
                                          "description": "`difi.security.user.name` / `difi.security.user.password`."}},
        "schemas": schemas,
        "parameters": shared_parameters,
        "responses": responses,
    },
}

text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
assert '"###' not in text
(ROOT / "openapi").mkdir(exist_ok=True)
(ROOT / "openapi" / "openapi.json").write_text(text)
swift_dir = ROOT / "Sources" / "HTTPAPI" / "OpenAPI"
swift_dir.mkdir(parents=True, exist_ok=True)

# The Swift side holds the same text, cut by concept into one file per part so that no file is thousands of lines
# long: the head, the paths by resource, the schemas by subject, the shared responses. Concatenated in order, the
# parts are exactly openapi/openapi.json (a test checks it).
PATH_PARTS = [("PathsCapabilities", "/api/capabilities"), ("PathsMessagesOut", "/api/messages/out"),
              ("PathsMessagesIn", "/api/messages/in"), ("PathsStatuses", "/api/statuses"),
              ("PathsConversations", "/api/conversations"), ("PathsSubscriptions", "/api/subscriptions"),
              ("PathsManagement", "/api/openapi.json")]
SCHEMA_PARTS = [("SchemasErrors", "ErrorBody"), ("SchemasHeader", "PartnerIdentification"),
                ("SchemasBusinessMessages", "DpvSettings"), ("SchemasCitizenMessages", "DigitalMessage"),
                ("SchemasServiceMessages", "DialogmeldingMessage"), ("SchemasPageRequest", "Sort"),
                ("SchemasStatuses", "MessageStatus"), ("SchemasSubscriptions", "Subscription"),
                ("SchemasCapabilities", "PostalAddress"), ("SchemasManagement", "Health"),
                ("SchemasPages", "PageOfStandardBusinessDocument")]
lines = text.splitlines(keepends=True)


def line_of(prefix, start=0):
    for index in range(start, len(lines)):
        if lines[index].startswith(prefix):
            return index
    raise SystemExit(f"generate-openapi.py: no line starts with {prefix!r}; update PATH_PARTS/SCHEMA_PARTS")


cuts = [("Head", 0)]
paths_at = line_of('  "paths": {')
cuts += [(name, line_of(f'    "{prefix}', paths_at)) for name, prefix in PATH_PARTS]
schemas_at = line_of('    "schemas": {', line_of('  "components": {'))
cuts += [(name, line_of(f'      "{first}": {{', schemas_at)) for name, first in SCHEMA_PARTS]
cuts += [("Parameters", line_of('    "parameters": {', schemas_at))]
cuts += [("Responses", line_of('    "responses": {', schemas_at))]
assert [at for _, at in cuts] == sorted(at for _, at in cuts), "parts out of document order"
for old in swift_dir.glob("OpenAPIDocument*.swift"):
    old.unlink()
HEADER = "// Generated by scripts/generate-openapi.py from the same data as openapi/openapi.json; do not edit.\n\n"
for number, (name, at) in enumerate(cuts):
    end = cuts[number + 1][1] if number + 1 < len(cuts) else len(lines)
    chunk = "".join(lines[at:end])
    member = name[0].lower() + name[1:]
    (swift_dir / f"OpenAPIDocument+{name}.swift").write_text(
        HEADER + "extension OpenAPIDocument {\n    static let " + member + " = ###\"\"\"\n" + chunk
        + "\n\"\"\"###\n}\n")
members = ",\n        ".join(name[0].lower() + name[1:] for name, _ in cuts)
(swift_dir / "OpenAPIDocument.swift").write_text(
    HEADER + "/// The OpenAPI 3 document of the NextMove API, served at `GET /api/openapi.json`; its parts are in the\n"
    "/// `OpenAPIDocument+*.swift` files beside this one.\n"
    "enum OpenAPIDocument {\n    static let json = [\n        " + members + ",\n    ].joined()\n}\n")
print(f"wrote openapi/openapi.json ({len(text)} bytes) and {len(cuts) + 1} files in {swift_dir.relative_to(ROOT)}")
