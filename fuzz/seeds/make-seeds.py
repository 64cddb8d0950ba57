#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz harnesses into fuzz/seeds/NAME/.

The seeds are small and committed, so that tests/fuzz can replay them with
no generator at hand; this script is how they were made, and makes them
again. Each file's layout is the harness's (see the comment at the top of
fuzz/fuzz-NAME.c). The PDF harness is seeded from specimens/ by fuzz/run.

    python3 fuzz/seeds/make-seeds.py
"""
import base64
import hashlib
import hmac
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The keys of fuzz-jwt.c (made up for the harness; not anybody's key).
SERVICE = "5a9ee9b5-7c16-4b83-9c4f-4f5f3e1f8a01"
SECRET = "0d0c3a63-8a1e-4f2e-9d9b-2b5c9c1b7e42"


def write(name, file, data):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, file), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def address_seeds():
    """One vector per (verdict, mode) from Notify's address vectors."""
    seen = set()
    with open(os.path.join(ROOT, "tests", "address", "address-vectors.jsonl"), encoding="utf-8") as f:
        for line in f:
            v = json.loads(line)
            key = (v["error"], v["international"], v.get("zone"))
            if key in seen:
                continue
            seen.add(key)
            write("address", "vector-%02d" % len(seen), v["raw"])
    write("address", "bfpo", "Sgt A Person\nBFPO 105\nBFPO 105")
    write("address", "unicode-lines", "A\u2028B\u0085C\r\nD\x0bE\x1cF\nSW1A 1AA")


def address_record_seeds():
    lines = [
        {"address": "A Person\n1 Street\nSW1A 1AA"},
        {"id": 7, "address": "Dr Ødegård\n1a Station Rd.\nOslo\nNorway", "international": True},
        {"address": "A\nB\nBFPO 105", "international": False, "meta": {"x": [1, 2.5, None, "s"]}},
        {"address": "Tab\there\nQuote \"q\"\n\u2028\nSW1A1AA", "n": -0.0, "e": 1e300},
        {"file": "a.pdf"},
        {},
    ]
    for i, obj in enumerate(lines):
        write("address-record", "line-%d" % i, json.dumps(obj, ensure_ascii=(i % 2 == 0)))
    write("address-record", "escaped-key", '{"addr\\u0065ss": "x\\ny\\nz", "valid": 1}')
    write("address-record", "duplicate", '{"address": "a\\nb\\nc", "address": "d\\ne\\nSW1A 1AA"}')


def markup_seeds():
    with open(os.path.join(ROOT, "specimens", "compose", "body.md"), encoding="utf-8") as f:
        write("markup", "body", f.read() + "\0Ann\0yes\0x")
    write("markup", "everything",
          "# Heading ((name))\n\nPara **bold ((x))** end  \nbreak\n\n* one\n* two\n\n"
          "1. first\n2. second\n\n***\n\n((paid??Paid in full.))\n\n---\n\nLast\0Zoë\0no\0**")
    write("markup", "unclosed", "((name\0a\0b\0c")
    write("markup", "welsh", "Annwyl ((name)),\n\nDiolch yn fawr. ŵŷ âê\0Siân\0ie\0")


def csv_seeds():
    with open(os.path.join(ROOT, "specimens", "compose", "people.csv"), "rb") as f:
        write("csv", "people", b"\xff" + f.read())
    write("csv", "quoted", b"\x20address_line_1,address_line_2,postcode,name\r\n"
          b"\"A, Person\",\"1 \"\"Quoted\"\" St\",SW1A 1AA,\"multi\nline\"\r\n")
    write("csv", "bom-short-limit", b"\x01\xef\xbb\xbfaddress,name\n\"x\ny\nSW1A 1AA\",Bo\n")
    write("csv", "open-quote", b"\x10a,b\n\"never closed,1\n2,3\n")


def ndjson_seeds():
    with open(os.path.join(ROOT, "specimens", "compose", "people.ndjson"), "rb") as f:
        write("ndjson", "people", b"\xff\x00" + f.read())
    write("ndjson", "mixed", b"\x08\x03{\"file\":\"a.pdf\",\"check\":{\"valid\":true}}\n\n"
          b"[1,2]\nnot json\n{\"x\":\"\xff\xfe\"}\n{\"long\":\"" + b"y" * 300 + b"\"}\n{\"t\":1")
    write("ndjson", "numbers", b"\x40\x00{\"address_line_1\":\"A\",\"n\":1e308,\"m\":-0,\"z\":null}\n")


def api_reply_seeds():
    def reply(http, post, body):
        return bytes([http >> 8, http & 255, post]) + body.encode()
    write("api-reply", "created", reply(201, 1, json.dumps({
        "id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "letter-0001",
        "postage": "second"})))
    write("api-reply", "listing", reply(200, 0, json.dumps({"notifications": [
        {"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "letter-0001", "status": "received"},
        {"id": "11111111-2222-4333-8444-555555555555", "reference": "letter-0002", "status": "pending-virus-check"},
        {"id": "22222222-2222-4333-8444-555555555555", "reference": "letter-0001"}],
        "links": {"current": "x"}})))
    write("api-reply", "validation", reply(400, 1, json.dumps({"status_code": 400, "errors": [
        {"error": "ValidationError", "message": "postage invalid. It must be either first, second or economy."},
        {"error": "BadRequestError", "message": "Letter content is not a valid PDF"}]})))
    write("api-reply", "rate-limit", reply(429, 1, json.dumps({"status_code": 429, "errors": [
        {"error": "RateLimitError", "message": "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"}]})))
    write("api-reply", "daily-limit", reply(429, 1, json.dumps({"status_code": 429, "errors": [
        {"error": "TooManyRequestsError", "message": "Exceeded send limits (1000) for today"}]})))
    write("api-reply", "server-error", reply(500, 1, "<html>Internal Server Error</html>"))
    write("api-reply", "auth", reply(403, 0, json.dumps({"status_code": 403, "errors": [
        {"error": "AuthError", "message": "Invalid token: API key not found"}]})))


def sandbox_body_seeds():
    pdf = open(os.path.join(ROOT, "specimens", "cairo", "valid-1-page.pdf"), "rb").read()[:600]
    content = base64.b64encode(pdf).decode()
    write("sandbox-body", "letter", json.dumps({"reference": "ref-1", "content": content, "postage": "first"}))
    write("sandbox-body", "wrapped", json.dumps({"reference": "r", "content": "\n".join(
        content[i:i + 76] for i in range(0, len(content), 76))}))
    write("sandbox-body", "schema-errors", json.dumps({"reference": 5, "postage": "fast", "extra": [1]}))
    write("sandbox-body", "bad-padding", json.dumps({"reference": "r", "content": "JVBERi0=x"}))
    write("sandbox-body", "not-pdf", json.dumps({"reference": "r", "content": "aGVsbG8gd29ybGQ="}))
    write("sandbox-body", "not-json", b"{\"reference\": \"r\xff\", ")
    # The shapes letter_body_load reads without jansson, and those it must not.
    short = content[:40]
    write("sandbox-body", "content-twice", '{"content": "%s", "reference": "r", "content": "JVBERi0x"}' % short)
    write("sandbox-body", "content-key-escaped", '{"reference": "r", "con\\u0074ent": "%s"}' % short)
    write("sandbox-body", "content-nested", '{"reference": {"content": "x"}, "content": "%s"}' % short)
    write("sandbox-body", "content-slash-escaped", '{"reference": "r", "content": "JVBERi0\\/x"}')
    write("sandbox-body", "content-not-string", '{"reference": "r", "content": ["%s"]}' % short)
    write("sandbox-body", "two-objects", '{"reference": "r"} {"content": "%s"}' % short)
    write("sandbox-body", "top-array", '["content", "%s"]' % short)
    write("sandbox-body", "content-unclosed", '{"reference": "r", "content": "%s' % short)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header, claims, secret=SECRET):
    signing = b64(header.encode()) + "." + b64(claims.encode())
    sig = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64(sig)


def jwt_seeds():
    hdr = '{"typ":"JWT","alg":"HS256"}'
    claims = '{"iss":"%s","iat":1795400000}' % SERVICE
    write("jwt", "bearer-signed", b"\x00Bearer " + token(hdr, claims).encode())
    write("jwt", "bearer-other-service", b"\x00bearer " + token(hdr, claims.replace("5a9e", "5a9f")).encode())
    write("jwt", "bearer-none-alg", b"\x00Bearer " + token('{"alg":"none"}', claims).encode())
    write("jwt", "basic", b"\x00Basic dXNlcjpwYXNz")
    write("jwt", "api-key", b"\x00my_key-" + SERVICE.encode() + b"-" + SECRET.encode())
    write("jwt", "sign-good", b"\x01" + hdr.encode() + b"\x00" + claims.encode())
    write("jwt", "sign-no-iat", b"\x01" + hdr.encode() + b"\x00" + ('{"iss":"%s"}' % SERVICE).encode())
    write("jwt", "sign-float-iat", b"\x01" + hdr.encode() + b"\x00" + ('{"iss":"%s","iat":1.5e9}' % SERVICE).encode())
    write("jwt", "base64", b"\x02\x00\xff\xfe binary \x01\x02\x03")


def main():
    for name in ("address", "address-record", "markup", "csv", "ndjson", "api-reply", "jwt", "sandbox-body"):
        shutil.rmtree(os.path.join(HERE, name), ignore_errors=True)
    address_seeds()
    address_record_seeds()
    markup_seeds()
    csv_seeds()
    ndjson_seeds()
    api_reply_seeds()
    jwt_seeds()
    sandbox_body_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
