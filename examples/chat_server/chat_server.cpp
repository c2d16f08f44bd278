// A chat server, written the ordinary blocking way: one thread per client,
// and one broadcaster thread fed through a std::mutex + std::condition_variable
// queue.
//
// Protocol (lines): "JOIN room" -> "JOINED"; "SAY text" -> "text" is sent to
// every member of the room, the sender too. A client leaves by closing.
//
// usage: chat_server PORT [CONNECTIONS]   (PORT 0: any free port, printed)
#include "../common/listen_loopback.h"

#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Client {
  int fd;                // -1 once closed (under send_mutex)
  std::mutex send_mutex; // the client's own thread and the broadcaster both send
};

struct Message {
  std::string room;
  std::string text;
};

std::mutex rooms_mutex;
std::map<std::string, std::set<std::shared_ptr<Client>>> rooms;

std::mutex queue_mutex;
std::condition_variable queue_ready;
std::deque<Message> queue;
bool closing = false;
long messages_sent = 0;

bool send_line(Client &client, const std::string &line) {
  std::lock_guard<std::mutex> lock(client.send_mutex);
  if (client.fd < 0)
    return false; // left while the broadcaster held a copy: its fd may be reused
  std::string out = line + "\n";
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = send(client.fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return false;
    off += n;
  }
  return true;
}

void broadcaster() {
  for (;;) {
    std::unique_lock<std::mutex> lock(queue_mutex);
    queue_ready.wait(lock, [] { return closing || !queue.empty(); });
    if (queue.empty())
      return;
    Message m = std::move(queue.front());
    queue.pop_front();
    lock.unlock();

    std::vector<std::shared_ptr<Client>> members;
    {
      std::lock_guard<std::mutex> rooms_lock(rooms_mutex);
      auto it = rooms.find(m.room);
      if (it != rooms.end())
        members.assign(it->second.begin(), it->second.end());
    }
    for (auto &member : members)
      if (send_line(*member, m.text))
        ++messages_sent;
  }
}

void serve(int fd) {
  auto client = std::make_shared<Client>();
  client->fd = fd;
  std::string room, pending;
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    pending.append(buf, n);
    size_t eol;
    while ((eol = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, eol);
      pending.erase(0, eol + 1);
      if (line.rfind("JOIN ", 0) == 0 && room.empty()) {
        room = line.substr(5);
        {
          std::lock_guard<std::mutex> lock(rooms_mutex);
          rooms[room].insert(client);
        }
        send_line(*client, "JOINED");
      } else if (line.rfind("SAY ", 0) == 0 && !room.empty()) {
        std::lock_guard<std::mutex> lock(queue_mutex);
        queue.push_back({room, line.substr(4)});
        queue_ready.notify_one();
      }
    }
  }
  if (!room.empty()) {
    std::lock_guard<std::mutex> lock(rooms_mutex);
    rooms[room].erase(client);
  }
  std::lock_guard<std::mutex> lock(client->send_mutex);
  close(fd);
  client->fd = -1;
}

} // namespace

int main(int argc, char **argv) {
  int listener = listen_from_args("chat_server", argc, argv, "PORT [CONNECTIONS]");
  long wanted = argc > 2 ? std::atol(argv[2]) : 0;

  std::thread broadcast_thread(broadcaster);
  std::vector<std::thread> clients;
  for (long accepted = 0; wanted == 0 || accepted < wanted; ++accepted) {
    int fd = accept(listener, nullptr, nullptr);
    if (fd < 0)
      break;
    clients.emplace_back(serve, fd);
  }
  for (auto &t : clients)
    t.join();
  {
    std::lock_guard<std::mutex> lock(queue_mutex);
    closing = true;
  }
  queue_ready.notify_all();
  broadcast_thread.join();
  close(listener);
  std::printf("chat_server: %zu clients, %ld messages delivered\n", clients.size(), messages_sent);
  return 0;
}
