// evy-blocking-call in --report=json and --report=sarif: a finding with its
// check, position and message; in SARIF a "warning" result whose rule is
// evy-blocking-call. The module of the finding says when it is reported:
// "*" in every greened file, "!time" in a file greened without time.
// RUN: %evy-rewrite --report=json --patch=socket %s -- -std=c++20 > %t.json
// RUN: python3 %inputs/json-shape.py < %t.json | FileCheck %s --check-prefix=JSON
// RUN: %evy-rewrite --report=sarif --patch=socket %s -- -std=c++20 > %t.sarif
// RUN: python3 %inputs/json-shape.py < %t.sarif | FileCheck %s --check-prefix=SARIF

#include <stdlib.h>
#include <unistd.h>

int f() {
  sleep(1);
  return system("true");
}
// JSON: {{^}}/files[0]/findings: array[2]
// JSON: {{^}}/files[0]/findings[0]/check: str = "evy-blocking-call"
// JSON-NEXT: {{^}}/files[0]/findings[0]/column: int = 3
// JSON-NEXT: {{^}}/files[0]/findings[0]/line: int = 14
// JSON-NEXT: {{^}}/files[0]/findings[0]/message: str = "'sleep' blocks the OS thread and every green thread on it; module 'time' is not chosen for this file"
// JSON-NEXT: {{^}}/files[0]/findings[0]/module: str = "!time"
// JSON: {{^}}/files[0]/findings[1]/check: str = "evy-blocking-call"
// JSON-NEXT: {{^}}/files[0]/findings[1]/column: int = 10
// JSON-NEXT: {{^}}/files[0]/findings[1]/line: int = 15
// JSON-NEXT: {{^}}/files[0]/findings[1]/message: str = "'system' blocks the OS thread and every green thread on it; {{.*}}posix_spawn{{.*}}"
// JSON-NEXT: {{^}}/files[0]/findings[1]/module: str = "*"

// SARIF: {{^}}/runs[0]/results: array[2]
// SARIF: {{^}}/runs[0]/results[0]/level: str = "warning"
// SARIF: {{^}}/runs[0]/results[0]/locations[0]/physicalLocation/region/startColumn: int = 3
// SARIF: {{^}}/runs[0]/results[0]/locations[0]/physicalLocation/region/startLine: int = 14
// SARIF: {{^}}/runs[0]/results[0]/message/text: str = "'sleep' blocks the OS thread{{.*}}"
// SARIF: {{^}}/runs[0]/results[0]/ruleId: str = "evy-blocking-call"
// SARIF: {{^}}/runs[0]/results[1]/message/text: str = "'system' blocks the OS thread{{.*}}"
// SARIF: {{^}}/runs[0]/results[1]/ruleId: str = "evy-blocking-call"
// SARIF: {{^}}/runs[0]/tool/driver/rules[0]/id: str = "evy-blocking-call"
