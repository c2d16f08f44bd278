// Every member of the psycopg module (rules/psycopg.json: libpq) is rewritten.
// RUN: %evy-rewrite --patch=psycopg %s -- -std=c++20 -I/usr/include/postgresql > %t.out.cpp
// RUN: FileCheck %s --input-file=%t.out.cpp
// RUN: FileCheck %s --check-prefix=INC --input-file=%t.out.cpp
// RUN: %compiles

#include <libpq-fe.h>
// INC: {{^}}#include <evy/patched/psycopg.h>
// INC-NOT: {{^}}#include <evy/patched/

void members(const char *const *keys, const char *const *values, const char *const *params) {
  PGconn *c = PQconnectdb("dbname=x");
  // CHECK: {{^}}  PGconn *c = evy::green::PQconnectdb("dbname=x");
  c = PQconnectdbParams(keys, values, 0);
  // CHECK: {{^}}  c = evy::green::PQconnectdbParams(keys, values, 0);
  c = PQsetdbLogin("h", "5432", nullptr, nullptr, "db", "u", "p");
  // CHECK: {{^}}  c = evy::green::PQsetdbLogin("h", "5432", nullptr, nullptr, "db", "u", "p");
  PGresult *r = PQexec(c, "select 1");
  // CHECK: {{^}}  PGresult *r = evy::green::PQexec(c, "select 1");
  r = PQexecParams(c, "select $1", 1, nullptr, params, nullptr, nullptr, 0);
  // CHECK: {{^}}  r = evy::green::PQexecParams(c, "select $1", 1, nullptr, params, nullptr, nullptr, 0);
  r = PQprepare(c, "s", "select $1", 1, nullptr);
  // CHECK: {{^}}  r = evy::green::PQprepare(c, "s", "select $1", 1, nullptr);
  r = PQexecPrepared(c, "s", 1, params, nullptr, nullptr, 0);
  // CHECK: {{^}}  r = evy::green::PQexecPrepared(c, "s", 1, params, nullptr, nullptr, 0);
  r = PQdescribePrepared(c, "s");
  // CHECK: {{^}}  r = evy::green::PQdescribePrepared(c, "s");
  r = PQdescribePortal(c, "p");
  // CHECK: {{^}}  r = evy::green::PQdescribePortal(c, "p");
  r = PQgetResult(c);
  // CHECK: {{^}}  r = evy::green::PQgetResult(c);
  PQreset(c);
  // CHECK: {{^}}  evy::green::PQreset(c);
  PGPing ping = PQping("dbname=x");
  // CHECK: {{^}}  PGPing ping = evy::green::PQping("dbname=x");
  char *row = nullptr;
  int n = PQgetCopyData(c, &row, 0);
  // CHECK: {{^}}  int n = evy::green::PQgetCopyData(c, &row, 0);
  n = PQputCopyData(c, "1\n", 2);
  // CHECK: {{^}}  n = evy::green::PQputCopyData(c, "1\n", 2);
  n = PQputCopyEnd(c, nullptr);
  // CHECK: {{^}}  n = evy::green::PQputCopyEnd(c, nullptr);
  n = PQflush(c);
  // CHECK: {{^}}  n = evy::green::PQflush(c);
  char error[256];
  n = PQcancel(PQgetCancel(c), error, sizeof error);
  // CHECK: {{^}}  n = evy::green::PQcancel(PQgetCancel(c), error, sizeof error);
  (void)r;
  (void)ping;
  (void)n;
}
