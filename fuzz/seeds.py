#!/usr/bin/env python3
"""Writes the seed inputs of every harness into OUT/<harness>/ from the shipped assessments,
their cohorts and the test fixtures (fuzz/README.md, "Corpora"). The committed corpora
(fuzz/corpus/) started from these, fuzzed and minimised with -merge=1.

usage: fuzz/seeds.py OUT
"""
import hashlib
import json
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1])
PLUGINS = {"core-items", "cybersecurity", "device-maintenance", "ehr-admin"}


def put(harness, data):
    if isinstance(data, str):
        data = data.encode()
    d = OUT / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def params_json(value, folder):
    """Params as the loader converts them: an inline { file = ... } becomes the file's text."""
    if isinstance(value, dict):
        if list(value) == ["file"] and isinstance(value["file"], str):
            return (folder / value["file"]).read_text()
        return {k: params_json(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [params_json(v, folder) for v in value]
    return value


tomls = sorted(ROOT.glob("assessments/*/*.toml")) + sorted(ROOT.glob("tests/fixtures/**/*.toml"))
for path in tomls:
    put("assessment", path.read_bytes())

# Plugin items: params from the shipped assessments, responses from their cohorts.
answers = {}
for path in sorted(ROOT.glob("assessments/*/*.cohort.jsonl")):
    lines = path.read_text().splitlines()
    for n, line in enumerate(lines):
        if n < 40:
            put("attempt_line", line)
        attempt = json.loads(line)
        for item, response in attempt.get("answers", {}).items():
            answers.setdefault(item, [])
            if len(answers[item]) < 4:
                answers[item].append(json.dumps(response, separators=(",", ":")))
        if n < 5:
            put("json_schema", line)
for path in sorted(ROOT.glob("assessments/*/*.toml")):
    doc = tomllib.loads(path.read_text())
    for item in doc.get("item", []):
        plugin, _, type_name = item["type"].partition("/")
        if plugin not in PLUGINS:
            continue
        harness = "plugin_" + plugin.replace("-", "_")
        params = json.dumps(params_json(item.get("params", {}), path.parent), default=str, separators=(",", ":"))
        put(harness, f"{type_name}\n")
        put(harness, f"{type_name}\n{params}")
        for response in answers.get(item["id"], []):
            put(harness, f"{type_name}\n{params}\0{response}")
            put("json_schema", response)
        text = json.dumps(item.get("params", {}), default=str)
        for vector in re.findall(r"CVSS:3\.1/[A-Z:/]+", text):
            put("cvss", vector.rstrip("/"))
        for rules in re.findall(r"(?:allow|deny) [^\"]*", text):
            put("firewall", rules)
        for message in re.findall(r"MSH\|[^\"]*", text):
            put("hl7", "PID-3(5=MR).1\n" + message.replace("\\r", "\r"))
    for rules in re.findall(r"rules = \[([^\]]*)\]", path.read_text()):
        put("firewall", "\n".join(json.loads("[" + rules + "]")))

for path in sorted(ROOT.glob("tests/fixtures/formats/**/*.json")):
    put("json_schema", path.read_bytes())
    put("response", b"\n" + path.read_bytes())

# Hand-written seeds for the grammars the files above use little of.
for vector in ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
               "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:N/E:U/RL:O/RC:C",
               "CVSS:3.1/AV:A/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L/CR:H/IR:M/AR:L/MAV:N/MAC:L/MPR:N/MUI:N/MS:C/MC:H/MI:H/MA:H"]:
    put("cvss", vector)
put("firewall", "allow tcp from modalities to 10.20.30.0/24 port 104\ndeny any from guest-wifi to any # no guests\n"
                "allow udp from 10.0.0.1 to pacs port 1000-2000\n\n# done\n")
for msg in ["MSH|^~\\&|LAB|HOSP|EHR|HOSP|20240105083000||ORU^R01^ORU_R01|MSG001|P|2.5.1\r"
            "PID|1||123^^^HOSP^MR~456^^^HOSP^PI||Doe^Jane\\S\\Ann||19800101|F\rOBX|1|NM|2823-3^Potassium||4.1|mmol/L\r",
            "\x0bMSH|^~\\&#|A|B\nEVN|A01\r\nPID|||\\X41\\||\\E\\\x1c\r"]:
    for path in ["PID-3(5=MR).1", "OBX(3.1=2823-3)-5", "MSH-9.2", "PID-5.2.1", "OBX(2)-5"]:
        put("hl7", path + "\n" + msg)
for csv in ["name,email,external_ref\r\nJane Doe,jane@example.org,E1\r\n\"Doe, John\",\"j\"\"d@example.org\",\r\n",
            "\ufeffname,email\n=cmd,x\n\"multi\nline\",y\n\"\"\n", "a,\"b\"c,d\n,,\n"]:
    put("csv", csv)

response_seeds = {
    "choice": ['["a"]', "B", "a"], "choices": ['["a","c"]', "A C", "-", "[]"],
    "text": ['"hello"', "hello world"], "extended-text": ['"two\\nlines"', "one line"],
    "numeric": ['{"value":"4.95","unit":"mA"}', "4.95 mA", "-1e3", '{"value":"5"}'],
    "order": ['["z","x","y"]', "C A B", "CAB"], "match": ['{"l":"r","m":"s"}', "1B 2A", "A-B"],
    "select-lines": ['["l1","l3"]', "1 3", "1-3", "-"],
    "fields": ['{"pid-5":"DOE^JANE","pid-7":"19800101"}', "DOE"],
    "table": ['{"r1":{"ok":"y"},"r2":{"ok":"n"}}', "1A"],
}
for interaction, values in response_seeds.items():
    for v in values:
        put("response", f"{interaction}\n{v}")
put("response", '\n{"choice":["a"],"numeric":{"value":"1","unit":"uA"},"table":{"r1":{"ok":"n"}}}')
put("json_schema", '{"type":"object","properties":{"a":{"type":"integer","minimum":0}},"required":["a"],'
                   '"additionalProperties":false,"$defs":{"s":{"type":"string","pattern":"^x+$"}}}\0{"a":-1,"b":"xx"}')
put("json_schema", '{"oneOf":[{"$ref":"#/$defs/a"},{"type":"array","items":{"$ref":"urn:assay:schema:response:1"}}],'
                   '"$defs":{"a":{"const":1}}}\0[{"x":["y"]}]')

# Every item type, with its first example's params (an empty params part).
for header in sorted(ROOT.glob("plugins/*/src/*.hpp")):
    for type_name in re.findall(r'kName = "([^"]+)"', header.read_text()):
        put("plugin_" + header.parts[-3].replace("-", "_"), f"{type_name}\n")
