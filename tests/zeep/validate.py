"""Validates element documents against the schemas of a WSDL, all in one run.

stdin:  {"wsdl": PATH, "documents": [{"id": STR, "xml": STR}, ...]}
stdout: [{"id": STR, "valid": BOOL, "errors": [{"reason": STR, "path": STR}, ...]}, ...]

Every error of a document is reported (xmlschema's iter_errors), not only the first.
"""

import json
import sys

import wsdl_schemas


def _errors(schema, xml):
    try:
        return [
            {"reason": e.reason or str(e), "path": e.path or ""}
            for e in schema.iter_errors(xml)
        ]
    except Exception as e:  # not well-formed: report it as the document's one error
        return [{"reason": f"{type(e).__name__}: {e}", "path": ""}]


def main():
    job = json.load(sys.stdin)
    schema = wsdl_schemas.load(job["wsdl"])
    results = []
    for doc in job["documents"]:
        errors = _errors(schema, doc["xml"])
        results.append({"id": doc["id"], "valid": not errors, "errors": errors})
    json.dump(results, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
