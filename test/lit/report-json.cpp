// --report=json: one valid JSON document with the tool, its version, a
// format number, and per file: file, modules_used, patched, patched_by,
// changed, rewrites / kept / not_patched (line, column, from, to, module,
// kind), includes_added, findings (line, column, module, check, message).
// It rewrites nothing.
// RUN: cp %s %t.cpp
// RUN: %evy-rewrite --report=json --patch=time,thread %t.cpp -- -std=c++20 > %t.json
// RUN: diff %s %t.cpp
// RUN: python3 %inputs/json-shape.py < %t.json | FileCheck %s
// RUN: %evy-rewrite --patch=time,thread %s -- -std=c++20 > %t.out.cpp 2> /dev/null
// RUN: %compiles

#include <mutex>
#include <sys/socket.h>
#include <unistd.h>

std::mutex m;
thread_local int tl;

void f(int fd, char *buf) {
  sleep(1);
  usleep(1); // evy: keep
  recv(fd, buf, 1, 0);
}
// CHECK: {{^}}/: object
// CHECK: {{^}}/files: array[1]
// CHECK-NEXT: {{^}}/files[0]: object
// CHECK-NEXT: {{^}}/files[0]/changed: bool = true
// CHECK-NEXT: {{^}}/files[0]/file: str = "{{.*}}report-json.cpp.tmp.cpp"
// CHECK-NEXT: {{^}}/files[0]/findings: array[1]
// CHECK-NEXT: {{^}}/files[0]/findings[0]: object
// CHECK-NEXT: {{^}}/files[0]/findings[0]/check: str = "evy-thread-local"
// CHECK-NEXT: {{^}}/files[0]/findings[0]/column: int = 18
// CHECK-NEXT: {{^}}/files[0]/findings[0]/line: int = 18
// CHECK-NEXT: {{^}}/files[0]/findings[0]/message: str = "{{.*}}'tl'{{.*}}"
// CHECK-NEXT: {{^}}/files[0]/findings[0]/module: str = "thread"
// CHECK-NEXT: {{^}}/files[0]/includes_added: array[2]
// CHECK-NEXT: {{^}}/files[0]/includes_added[0]: str = "evy/patched/thread.h"
// CHECK-NEXT: {{^}}/files[0]/includes_added[1]: str = "evy/patched/time.h"
// CHECK-NEXT: {{^}}/files[0]/kept: array[1]
// CHECK-NEXT: {{^}}/files[0]/kept[0]: object
// CHECK-NEXT: {{^}}/files[0]/kept[0]/column: int = 3
// CHECK-NEXT: {{^}}/files[0]/kept[0]/from: str = "usleep"
// CHECK-NEXT: {{^}}/files[0]/kept[0]/kind: str = "function"
// CHECK-NEXT: {{^}}/files[0]/kept[0]/line: int = 22
// CHECK-NEXT: {{^}}/files[0]/kept[0]/module: str = "time"
// CHECK-NEXT: {{^}}/files[0]/kept[0]/to: str = "evy::green::usleep"
// CHECK-NEXT: {{^}}/files[0]/modules_used: array[3]
// CHECK-NEXT: {{^}}/files[0]/modules_used[0]: str = "socket"
// CHECK-NEXT: {{^}}/files[0]/modules_used[1]: str = "thread"
// CHECK-NEXT: {{^}}/files[0]/modules_used[2]: str = "time"
// CHECK-NEXT: {{^}}/files[0]/not_patched: array[1]
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]: object
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]/column: int = 3
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]/from: str = "recv"
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]/kind: str = "function"
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]/line: int = 23
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]/module: str = "socket"
// CHECK-NEXT: {{^}}/files[0]/not_patched[0]/to: str = "evy::green::recv"
// CHECK-NEXT: {{^}}/files[0]/patched: array[2]
// CHECK-NEXT: {{^}}/files[0]/patched[0]: str = "thread"
// CHECK-NEXT: {{^}}/files[0]/patched[1]: str = "time"
// CHECK-NEXT: {{^}}/files[0]/patched_by: str = "--patch"
// CHECK-NEXT: {{^}}/files[0]/rewrites: array[2]
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]: object
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]/column: int = 1
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]/from: str = "std::mutex"
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]/kind: str = "type"
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]/line: int = 17
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]/module: str = "thread"
// CHECK-NEXT: {{^}}/files[0]/rewrites[0]/to: str = "evy::green::mutex"
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]: object
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]/column: int = 3
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]/from: str = "sleep"
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]/kind: str = "function"
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]/line: int = 21
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]/module: str = "time"
// CHECK-NEXT: {{^}}/files[0]/rewrites[1]/to: str = "evy::green::sleep"
// CHECK: {{^}}/format: int = 1
// CHECK-NEXT: {{^}}/tool: str = "evy-rewrite"
// CHECK-NEXT: {{^}}/version: str = "{{[0-9]+\.[0-9]+\.[0-9]+.*}}"
