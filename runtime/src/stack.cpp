// Stack mapping, pooling, and the stack-overflow report.
#include "stack.h"

#include <evy/stats.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include <sys/mman.h>
#include <unistd.h>

#if defined(EVY_VALGRIND)
#include <valgrind/valgrind.h>
#endif

namespace evy::detail {

[[gnu::tls_model("initial-exec")]] constinit thread_local const Stack *current_guarded_stack = nullptr;

namespace {
std::atomic<std::size_t> live_stacks{0};
std::atomic<std::size_t> pooled_stacks{0};

// The guard is larger than a page so that a function with a big frame
// that skips over one page still lands in it. It costs address space only.
constexpr std::size_t kGuardSize = 64 * 1024;

std::size_t page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

std::size_t round_up(std::size_t n, std::size_t to) noexcept { return (n + to - 1) / to * to; }

std::string max_map_count() {
  if (FILE *f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    char buffer[32] = {};
    const bool ok = std::fgets(buffer, sizeof buffer, f) != nullptr;
    std::fclose(f);
    if (ok) {
      buffer[std::strcspn(buffer, "\n")] = '\0';
      return buffer;
    }
  }
  return "unknown";
}

[[noreturn]] void throw_map_failure(std::size_t bytes, int error) {
  std::string message = "evy: cannot map a fiber stack of " + std::to_string(bytes) + " bytes (" +
                        std::strerror(error) +
                        "): too many fibers for the memory-map limit? Each "
                        "fiber stack takes 2 memory maps; the limit is "
                        "vm.max_map_count (now " +
                        max_map_count() +
                        "; raise it with sysctl -w vm.max_map_count=N) or "
                        "lower EVY_STACK_SIZE";
  throw std::system_error(error, std::generic_category(), message);
}
} // namespace

Stack map_stack(std::size_t usable, bool counted) {
  usable = round_up(usable, page_size());
  const std::size_t guard = round_up(kGuardSize, page_size());
  const std::size_t total = guard + usable;
  void *mapping = mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (mapping == MAP_FAILED)
    throw_map_failure(total, errno);
  Stack stack;
  stack.mapping = static_cast<char *>(mapping);
  stack.mapping_size = total;
  stack.guard_size = guard;
  stack.counted = counted;
  if (mprotect(stack.low(), usable, PROT_READ | PROT_WRITE) != 0) {
    const int error = errno;
    munmap(mapping, total);
    throw_map_failure(total, error);
  }
#if defined(EVY_VALGRIND)
  stack.valgrind_id = VALGRIND_STACK_REGISTER(stack.low(), stack.high());
#endif
  if (counted)
    live_stacks.fetch_add(1, std::memory_order_relaxed);
  return stack;
}

void unmap_stack(Stack &stack) noexcept {
  if (!stack)
    return;
#if defined(EVY_VALGRIND)
  VALGRIND_STACK_DEREGISTER(stack.valgrind_id);
#endif
  munmap(stack.mapping, stack.mapping_size);
  if (stack.counted)
    live_stacks.fetch_sub(1, std::memory_order_relaxed);
  stack = Stack{};
}

Stack StackPool::take() {
  if (stacks_.empty())
    return map_stack(fiber_stack_size());
  Stack stack = stacks_.back();
  stacks_.pop_back();
  pooled_stacks.fetch_sub(1, std::memory_order_relaxed);
  return stack;
}

void StackPool::give(Stack stack) noexcept {
  if (stack.usable_size() != fiber_stack_size() || stacks_.size() >= kCapacity) {
    unmap_stack(stack);
    return;
  }
  try {
    stacks_.push_back(stack);
    pooled_stacks.fetch_add(1, std::memory_order_relaxed);
  } catch (...) {
    unmap_stack(stack);
  }
}

void StackPool::release_all() noexcept {
  for (Stack &stack : stacks_) {
    unmap_stack(stack);
    pooled_stacks.fetch_sub(1, std::memory_order_relaxed);
  }
  stacks_.clear();
}

std::size_t live_stack_count() noexcept { return live_stacks.load(std::memory_order_relaxed); }
std::size_t pooled_stack_count() noexcept { return pooled_stacks.load(std::memory_order_relaxed); }

// ------------------------------------------------------ overflow handler

namespace {
struct sigaction previous_segv_action;
struct sigaction previous_bus_action;

void write_stderr(const char *text) noexcept {
  const std::size_t length = std::strlen(text);
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n = ::write(STDERR_FILENO, text + done, length - done);
    if (n <= 0)
      return;
    done += static_cast<std::size_t>(n);
  }
}

// Runs on the alternate signal stack: only async-signal-safe calls here.
void on_fault(int signal, siginfo_t *info, void *context) {
  const Stack *stack = current_guarded_stack;
  if (stack != nullptr && info != nullptr && stack->in_guard(info->si_addr)) {
    write_stderr("evy: fiber stack overflow (the fiber used more than its "
                 "stack; raise EVY_STACK_SIZE)\n");
    std::signal(SIGABRT, SIG_DFL);
    std::abort();
  }
  // Not ours: hand the fault to whoever handled it before (a sanitizer, a
  // crash reporter), or die of it the default way.
  const struct sigaction &previous = signal == SIGBUS ? previous_bus_action : previous_segv_action;
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction != nullptr) {
      previous.sa_sigaction(signal, info, context);
      return;
    }
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    previous.sa_handler(signal);
    return;
  }
  // Re-executing the faulting instruction with the default action dumps core.
  std::signal(signal, SIG_DFL);
}

void install_process_handler() noexcept {
  struct sigaction action {};
  action.sa_sigaction = &on_fault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  sigaction(SIGSEGV, &action, &previous_segv_action);
  sigaction(SIGBUS, &action, &previous_bus_action);
}

// Each thread that runs fibers needs its own alternate stack: the faulting
// stack has no room left to run the handler on.
struct AlternateSignalStack {
  void *memory = nullptr;
  std::size_t size = 0;
  AlternateSignalStack() noexcept {
    stack_t current{};
    if (sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE))
      return; // the thread has one already (a sanitizer's, say): keep it
    size = std::max<std::size_t>(64 * 1024, static_cast<std::size_t>(SIGSTKSZ));
    memory = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
      memory = nullptr;
      return;
    }
    stack_t alternate{};
    alternate.ss_sp = memory;
    alternate.ss_size = size;
    sigaltstack(&alternate, nullptr);
  }
  ~AlternateSignalStack() {
    if (memory == nullptr)
      return;
    stack_t disable{};
    disable.ss_flags = SS_DISABLE;
    sigaltstack(&disable, nullptr);
    munmap(memory, size);
  }
};
} // namespace

void install_overflow_handler() noexcept {
  static const bool installed = (install_process_handler(), true);
  (void)installed;
  thread_local AlternateSignalStack alternate_stack;
  (void)alternate_stack;
}

} // namespace evy::detail
