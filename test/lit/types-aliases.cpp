// Types in aliases: using-aliases, typedefs, using-declarations of a type,
// alias templates; uses of the user's own aliases stay as they are.
// RUN: %evy-rewrite --patch=thread %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=NOT --input-file=%t.out.cpp
// RUN: %compiles

#include <mutex>
#include <thread>
#include <vector>

using Mutex = std::mutex;
// CHECK: {{^}}using Mutex = evy::green::mutex;
typedef std::thread Thread;
// CHECK: {{^}}typedef evy::green::thread Thread;
typedef std::vector<std::thread> Threads;
// CHECK: {{^}}typedef std::vector<evy::green::thread> Threads;
template <class T> using Guard = std::lock_guard<std::mutex>;
// CHECK: {{^}}template <class T> using Guard = std::lock_guard<evy::green::mutex>;

namespace app {
using std::mutex;
// CHECK: {{^}}using evy::green::mutex;
mutex app_lock;
// CHECK: {{^}}evy::green::mutex app_lock;
}

// Uses of the user's aliases are not blocking spellings: untouched.
Mutex m;
// CHECK: {{^}}Mutex m;
Thread t;
// CHECK: {{^}}Thread t;
Guard<int> *g = nullptr;
// CHECK: {{^}}Guard<int> *g = nullptr;

// NOT-NOT: {{^[^/]*}}std::{{thread|mutex}}{{[^:_a-z]}}
