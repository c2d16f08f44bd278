// The os module's stdin reads (issue 12) are rewritten to the green stdio
// calls, and the output compiles; std::cin needs no rewrite (the header
// greens it).
// RUN: %evy-rewrite --patch=os %s -- -std=c++20 > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: %compiles

#include <cstdarg>
#include <cstdio>
#include <iostream>
#include <string>
// CHECK: {{^}}#include <evy/patched/os.h>

int reads(const char *format, va_list args) {
  char buf[64];
  char *line = nullptr;
  size_t n = 0;
  int x = 0;
  long got = fgets(buf, sizeof buf, stdin) != nullptr;
  // CHECK: {{^}}  long got = evy::green::fgets(buf, sizeof buf, stdin) != nullptr;
  got += getline(&line, &n, stdin);
  // CHECK: {{^}}  got += evy::green::getline(&line, &n, stdin);
  got += getdelim(&line, &n, ';', stdin);
  // CHECK: {{^}}  got += evy::green::getdelim(&line, &n, ';', stdin);
  got += fread(buf, 1, sizeof buf, stdin);
  // CHECK: {{^}}  got += evy::green::fread(buf, 1, sizeof buf, stdin);
  got += getchar() + getc(stdin) + fgetc(stdin);
  // CHECK: {{^}}  got += evy::green::getchar() + evy::green::getc(stdin) + evy::green::fgetc(stdin);
  got += scanf("%d", &x) + fscanf(stdin, "%d", &x);
  // CHECK: {{^}}  got += evy::green::scanf("%d", &x) + evy::green::fscanf(stdin, "%d", &x);
  got += vscanf(format, args);
  // CHECK: {{^}}  got += evy::green::vscanf(format, args);
  got += vfscanf(stdin, format, args);
  // CHECK: {{^}}  got += evy::green::vfscanf(stdin, format, args);
  std::string s;
  std::getline(std::cin, s);
  // CHECK: {{^}}  std::getline(std::cin, s);
  std::cin >> x;
  // CHECK: {{^}}  std::cin >> x;
  return static_cast<int>(got) + x;
}
