// pthread_create/join/detach/self/equal/yield/once, this_thread::get_id,
// and POSIX semaphores (unnamed and named).
#include "fixtures.h"

#include <semaphore.h>

namespace evy::diff {
namespace {

void *return_argument(void *argument) { return argument; }

template <class Ops> struct JoinSelf {
  static void *run(void *) {
    return reinterpret_cast<void *>(static_cast<long>(Ops::pthread_join(Ops::pthread_self(), nullptr)));
  }
};

EVY_SCENARIO(pthread_lifecycle, "pthread_create pthread_join pthread_detach pthread_self "
                                "pthread_equal pthread_yield sem_init sem_wait sem_post") {
  pthread_t thread;
  int value = 42;
  log.rc("create", Ops::pthread_create(&thread, nullptr, return_argument, &value));
  void *result = nullptr;
  log.rc("join", Ops::pthread_join(thread, &result));
  log.note("result is the argument", result == &value);
  log.rc("create", Ops::pthread_create(&thread, nullptr, JoinSelf<Ops>::run, nullptr));
  Ops::pthread_join(thread, &result);
  log.note("join self", Log::errno_name(static_cast<int>(reinterpret_cast<long>(result))));
  log.rc("join self from main", Ops::pthread_join(Ops::pthread_self(), nullptr));
  log.note("self equals self", Ops::pthread_equal(Ops::pthread_self(), Ops::pthread_self()));
  static sem_t release, released;
  Ops::sem_init(&release, 0, 0);
  Ops::sem_init(&released, 0, 0);
  log.rc("create", Ops::pthread_create(
                       &thread, nullptr,
                       [](void *) -> void * {
                         Ops::sem_wait(&release);
                         Ops::sem_post(&released);
                         return nullptr;
                       },
                       nullptr));
  log.note("other differs", Ops::pthread_equal(thread, Ops::pthread_self()));
  log.rc("detach", Ops::pthread_detach(thread));
  log.rc("join detached", Ops::pthread_join(thread, nullptr));
  Ops::sem_post(&release);
  // It ran: green threads may run on another hub (EVY_HUBS), where no
  // number of yields here makes sure of it.
  Ops::sem_wait(&released);
  log.rc("yield", Ops::pthread_yield());
  pthread_attr_t attr;
  ::pthread_attr_init(&attr);
  ::pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  log.rc("create detached", Ops::pthread_create(&thread, &attr, return_argument, nullptr));
  ::pthread_attr_destroy(&attr);
  for (int i = 0; i < 20; ++i) // let the detached threads finish
    Ops::pthread_yield();
}

int once_calls = 0;
void count_once() { ++once_calls; }

EVY_SCENARIO(pthread_once_and_ids, "pthread_once std::this_thread::get_id pthread_create "
                                   "pthread_join") {
  once_calls = 0;
  pthread_once_t once = PTHREAD_ONCE_INIT;
  log.rc("once", Ops::pthread_once(&once, count_once));
  log.rc("once again", Ops::pthread_once(&once, count_once));
  log.note("calls", once_calls);
  static decltype(Ops::this_thread_get_id()) other_id;
  const auto mine = Ops::this_thread_get_id();
  pthread_t thread;
  Ops::pthread_create(
      &thread, nullptr,
      [](void *) -> void * {
        other_id = Ops::this_thread_get_id();
        return nullptr;
      },
      nullptr);
  Ops::pthread_join(thread, nullptr);
  log.note("own id stable", mine == Ops::this_thread_get_id());
  log.note("other thread's id differs", mine != other_id);
  log.note("default id differs", mine != decltype(mine){});
}

EVY_SCENARIO(unnamed_semaphores, "sem_init sem_destroy sem_trywait sem_wait sem_post "
                                 "sem_getvalue sem_timedwait sem_clockwait") {
  sem_t sem;
  log.ret("init too big", Ops::sem_init(&sem, 0, static_cast<unsigned>(SEM_VALUE_MAX) + 1u));
  log.ret("init", Ops::sem_init(&sem, 0, 1));
  int value = -1;
  log.ret("getvalue", Ops::sem_getvalue(&sem, &value));
  log.note("value", value);
  log.ret("trywait", Ops::sem_trywait(&sem));
  log.ret("trywait empty", Ops::sem_trywait(&sem));
  timespec past{1, 0};
  log.ret("timedwait past", Ops::sem_timedwait(&sem, &past));
  timespec bad{0, 1'000'000'000};
  log.ret("timedwait bad abstime", Ops::sem_timedwait(&sem, &bad));
  log.ret("clockwait past", Ops::sem_clockwait(&sem, CLOCK_MONOTONIC, &past));
  log.ret("clockwait bad clock", Ops::sem_clockwait(&sem, CLOCK_PROCESS_CPUTIME_ID, &past));
  log.ret("post", Ops::sem_post(&sem));
  log.ret("timedwait bad abstime, available", Ops::sem_timedwait(&sem, &bad));
  log.ret("post", Ops::sem_post(&sem));
  log.ret("wait", Ops::sem_wait(&sem));
  log.ret("destroy", Ops::sem_destroy(&sem));
  Ops::sem_init(&sem, 0, SEM_VALUE_MAX);
  log.ret("post at max", Ops::sem_post(&sem));
  Ops::sem_getvalue(&sem, &value);
  log.note("value is max", value == SEM_VALUE_MAX);
  Ops::sem_destroy(&sem);
}

EVY_SCENARIO(named_semaphores, "sem_open sem_close sem_unlink sem_post sem_getvalue") {
  const std::string name = "/evy-diff-" + std::to_string(::getpid());
  Ops::sem_unlink(name.c_str());
  log.note("open missing", Ops::sem_open(name.c_str(), 0) == SEM_FAILED);
  log.note("errno", Log::errno_name(errno));
  sem_t *sem = Ops::sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 2u);
  log.note("create", sem != SEM_FAILED);
  log.note("create again exclusively",
           Ops::sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 0u) == SEM_FAILED);
  log.note("errno", Log::errno_name(errno));
  sem_t *again = Ops::sem_open(name.c_str(), 0);
  log.note("open existing", again != SEM_FAILED);
  Ops::sem_post(again);
  int value = -1;
  Ops::sem_getvalue(sem, &value);
  log.note("value seen through the first handle", value);
  log.ret("close", Ops::sem_close(again));
  log.ret("close", Ops::sem_close(sem));
  log.ret("unlink", Ops::sem_unlink(name.c_str()));
  log.ret("unlink again", Ops::sem_unlink(name.c_str()));
  log.note("open bad name", Ops::sem_open("/a/b", O_CREAT, 0600, 0u) == SEM_FAILED);
  log.note("errno", Log::errno_name(errno));
}

template <class Ops> void sem_wait_interrupted(Log &log) {
  SignalHandler handler(true); // sem_wait is never restarted
  sem_t sem;
  Ops::sem_init(&sem, 0, 0);
  {
    Peer peer([&, tid = log.tid] {
      handler.interrupt(tid);
      Ops::sem_post(&sem); // ends the wait of a call that was not interrupted
    });
    log.ret("sem_wait interrupted", Ops::sem_wait(&sem));
  }
  Ops::sem_destroy(&sem);
}

EVY_SCENARIO(sem_wait_eintr, "sem_wait sem_post") { sem_wait_interrupted<Ops>(log); }

} // namespace
} // namespace evy::diff
