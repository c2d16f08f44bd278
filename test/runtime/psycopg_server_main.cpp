// main() of the psycopg server tests: one cluster for the whole binary.
#include "psycopg_server_test.h"

#include <cstdlib>

namespace evy::test {

Transcript &Transcript::result(const char *what, PGresult *result) {
  *this << what << ": ";
  if (result == nullptr)
    return *this << "NULL\n";
  *this << ::PQresStatus(::PQresultStatus(result)) << " error='" << ::PQresultErrorMessage(result)
        << "' cmd='" << ::PQcmdStatus(result) << "' tuples=" << ::PQntuples(result)
        << " fields=" << ::PQnfields(result) << " params=" << ::PQnparams(result);
  for (int row = 0; row < ::PQntuples(result) && row < 20; ++row) {
    *this << " [";
    for (int column = 0; column < ::PQnfields(result); ++column)
      *this << (column ? "|" : "")
            << (::PQgetisnull(result, row, column)
                    ? std::string("NULL")
                    : std::string(::PQgetvalue(result, row, column),
                                  static_cast<std::size_t>(::PQgetlength(result, row, column))));
    *this << "]";
  }
  ::PQclear(result);
  return *this << "\n";
}

Transcript &Transcript::conn(const char *what, PGconn *conn) {
  return *this << what << ": status=" << static_cast<long>(::PQstatus(conn)) << " tx="
               << static_cast<long>(::PQtransactionStatus(conn)) << " nonblocking="
               << ::PQisnonblocking(conn) << " error='" << ::PQerrorMessage(conn) << "'\n";
}

void collect_notices(PGconn *conn, Transcript &into) {
  ::PQsetNoticeProcessor(
      conn,
      [](void *transcript, const char *message) {
        *static_cast<Transcript *>(transcript) << "notice: " << message;
      },
      &into);
}

} // namespace evy::test

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::setenv("PGPASSFILE", "/nonexistent", 1); // nothing of the machine's user leaks in
  ::setenv("PGSSLCERT", "/nonexistent", 1);
  ::setenv("PGSSLKEY", "/nonexistent", 1);
  ::testing::AddGlobalTestEnvironment(&evy::test::pg_cluster());
  return RUN_ALL_TESTS();
}
