// --report=sarif: a SARIF 2.1.0 log with one run of the evy-rewrite driver,
// its rules, a "note" result with a fix (deleted region + inserted text) per
// rewrite and per added include, and a "warning" result per finding, each with a ruleId and a
// physical location. It rewrites nothing.
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite --report=sarif --patch=time,thread %t.cpp -- -std=c++20 > %t.sarif
// RUN: diff %s %t.cpp
// RUN: python3 %inputs/json-shape.py < %t.sarif | FileCheck %s
// RUN: %evy-rewrite --patch=time,thread %s -- -std=c++20 > %t.out.cpp 2> /dev/null
// RUN: %compiles

#include <unistd.h>

thread_local int tl;

void f() {
  sleep(1);
}
// CHECK: {{^}}/$schema: str = "{{.*}}sarif{{.*}}2.1.0{{.*}}"
// CHECK: {{^}}/runs: array[1]
// CHECK: {{^}}/runs[0]/results: array[3]
// CHECK: {{^}}/runs[0]/results[0]/fixes: array[1]
// CHECK: {{^}}/runs[0]/results[0]/fixes[0]/artifactChanges[0]/artifactLocation/uri: str = "{{.*}}report-sarif.cpp.tmp.cpp"
// CHECK: {{^}}/runs[0]/results[0]/fixes[0]/artifactChanges[0]/replacements[0]/deletedRegion/startColumn: int = 3
// CHECK: {{^}}/runs[0]/results[0]/fixes[0]/artifactChanges[0]/replacements[0]/deletedRegion/startLine: int = 17
// CHECK: {{^}}/runs[0]/results[0]/fixes[0]/artifactChanges[0]/replacements[0]/insertedContent/text: str = "evy::green::sleep"
// CHECK: {{^}}/runs[0]/results[0]/level: str = "note"
// CHECK: {{^}}/runs[0]/results[0]/locations[0]/physicalLocation/artifactLocation/uri: str = "{{.*}}report-sarif.cpp.tmp.cpp"
// CHECK: {{^}}/runs[0]/results[0]/locations[0]/physicalLocation/region/startColumn: int = 3
// CHECK: {{^}}/runs[0]/results[0]/locations[0]/physicalLocation/region/startLine: int = 17
// CHECK: {{^}}/runs[0]/results[0]/message/text: str = "{{.*}}sleep{{.*}}"
// CHECK: {{^}}/runs[0]/results[0]/ruleId: str = "[[SLEEP_RULE:evy-green-time]]"
// CHECK: {{^}}/runs[0]/results[1]/fixes[0]/artifactChanges[0]/replacements[0]/insertedContent/text: str = "#include <evy/patched/time.h>\n"
// CHECK: {{^}}/runs[0]/results[1]/ruleId: str = "evy-include"
// CHECK: {{^}}/runs[0]/results[2]/level: str = "warning"
// CHECK: {{^}}/runs[0]/results[2]/locations[0]/physicalLocation/region/startColumn: int = 18
// CHECK: {{^}}/runs[0]/results[2]/locations[0]/physicalLocation/region/startLine: int = 14
// CHECK: {{^}}/runs[0]/results[2]/message/text: str = "{{.*}}'tl'{{.*}}"
// CHECK: {{^}}/runs[0]/results[2]/ruleId: str = "evy-thread-local"
// CHECK: {{^}}/runs[0]/tool/driver/name: str = "evy-rewrite"
// CHECK: {{^}}/runs[0]/tool/driver/rules: array[3]
// CHECK-DAG: {{^}}/runs[0]/tool/driver/rules[{{[012]}}]/id: str = "[[SLEEP_RULE]]"
// CHECK-DAG: {{^}}/runs[0]/tool/driver/rules[{{[012]}}]/id: str = "evy-include"
// CHECK-DAG: {{^}}/runs[0]/tool/driver/rules[{{[012]}}]/id: str = "evy-thread-local"
// CHECK: {{^}}/runs[0]/tool/driver/version: str = "{{.+}}"
// CHECK: {{^}}/version: str = "2.1.0"

// Locations are URI references: relative to SRCROOT (the working directory)
// and percent-encoded; a file outside it gets a file:// URI.
// RUN: rm -rf %t.dir && mkdir %t.dir && cp %s "%t.dir/a b.cpp"
// RUN: cd %t.dir && %evy-rewrite --report=sarif --patch=time,thread "a b.cpp" -- -std=c++20 | python3 %inputs/json-shape.py | FileCheck %s --check-prefix=URI
// URI: {{^}}/runs[0]/originalUriBaseIds/SRCROOT/uri: str = "file:///{{.*}}.dir/"
// URI: {{^}}/runs[0]/results[0]/fixes[0]/artifactChanges[0]/artifactLocation/uri: str = "a%20b.cpp"
// URI-NEXT: {{^}}/runs[0]/results[0]/fixes[0]/artifactChanges[0]/artifactLocation/uriBaseId: str = "SRCROOT"
// RUN: cd / && %evy-rewrite --report=sarif --patch=time,thread "%t.dir/a b.cpp" -- -std=c++20 | python3 %inputs/json-shape.py | FileCheck %s --check-prefix=ABS
// ABS: {{^}}/runs[0]/results[0]/locations[0]/physicalLocation/artifactLocation/uri: str = "file:///{{.*}}.dir/a%20b.cpp"

