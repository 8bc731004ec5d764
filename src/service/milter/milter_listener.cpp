// The milter listener's sockets and threads (see milter_listener.h).
#include "service/milter/milter_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/ip_address.h"

namespace vigie::service::milter {

namespace {

// How often a waiting thread looks at the stop flag: the delay a stop adds, at most.
constexpr int kPollMs = 100;

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace

struct MilterListener::Impl {
  ListenerOptions options;
  MilterSession::Decide decide;
  int listen_fd = -1;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::condition_variable changed;
  unsigned connections = 0;  // under mutex
  std::atomic<unsigned> messages_in_flight{0};

  void accept_loop(const std::shared_ptr<Impl>& self);
  void serve_connection(int fd);
};

void MilterListener::Impl::serve_connection(int fd) {
  MilterSession session(options.max_message_bytes, decide);
  PacketReader reader;
  Packet packet;
  std::string replies;
  char buffer[64 * 1024];
  auto last_activity = std::chrono::steady_clock::now();
  for (;;) {
    // A stopping service closes a connection only between messages.
    if (stopping.load() && !session.in_message()) break;
    pollfd readable{fd, POLLIN, 0};
    const int ready = ::poll(&readable, 1, kPollMs);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      if (std::chrono::steady_clock::now() - last_activity > options.idle_timeout) break;
      continue;
    }
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    last_activity = std::chrono::steady_clock::now();
    reader.feed(std::string_view(buffer, static_cast<std::size_t>(got)));
    bool close = false;
    const bool was_in_message = session.in_message();
    for (;;) {
      const PacketReader::Status status = reader.next(packet);
      if (status == PacketReader::Status::kNeedMore) break;
      if (status == PacketReader::Status::kMalformed ||
          session.on_packet(packet, replies) == MilterSession::Next::kClose) {
        close = true;
        break;
      }
    }
    if (session.in_message() != was_in_message) {
      if (session.in_message()) {
        ++messages_in_flight;
      } else {
        --messages_in_flight;
      }
    }
    if (!replies.empty()) {
      if (!write_all(fd, replies)) break;
      replies.clear();
    }
    if (close) break;
  }
  if (session.in_message()) --messages_in_flight;
  ::close(fd);
}

void MilterListener::Impl::accept_loop(const std::shared_ptr<Impl>& self) {
  while (!stopping.load()) {
    {
      // At the bound, leave new connections in the backlog until one ends.
      std::unique_lock lock(mutex);
      changed.wait_for(lock, std::chrono::milliseconds(kPollMs),
                       [&] { return connections < options.max_connections || stopping.load(); });
      if (connections >= options.max_connections) continue;
    }
    pollfd readable{listen_fd, POLLIN, 0};
    if (::poll(&readable, 1, kPollMs) <= 0) continue;
    const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors or memory: the pending connection stays readable, so wait rather than
      // spin until something is freed.
      if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
      }
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // A peer that stops reading our replies must not hold the thread forever.
    const timeval send_timeout{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
    {
      std::lock_guard lock(mutex);
      ++connections;
    }
    // The thread owns a reference to the state, so a listener destroyed after a stop that timed
    // out leaves nothing dangling.
    std::thread([self, fd] {
      self->serve_connection(fd);
      std::lock_guard lock(self->mutex);
      --self->connections;
      self->changed.notify_all();
    }).detach();
  }
}

MilterListener::MilterListener(ListenerOptions options, MilterSession::Decide decide)
    : impl_(std::make_shared<Impl>()) {
  impl_->options = std::move(options);
  impl_->decide = std::move(decide);
}

MilterListener::~MilterListener() { stop(std::chrono::milliseconds(0)); }

Result<std::uint16_t> MilterListener::start() {
  const std::optional<IpAddress> address = IpAddress::parse(impl_->options.host);
  if (!address) return fail(Error::config("milter listener: not an IP address: " + impl_->options.host));
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (address->is_v4()) {
    auto* in = reinterpret_cast<sockaddr_in*>(&storage);
    in->sin_family = AF_INET;
    in->sin_port = htons(impl_->options.port);
    ::inet_pton(AF_INET, impl_->options.host.c_str(), &in->sin_addr);
    length = sizeof(sockaddr_in);
  } else {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(impl_->options.port);
    ::inet_pton(AF_INET6, impl_->options.host.c_str(), &in6->sin6_addr);
    length = sizeof(sockaddr_in6);
  }
  const int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(Error::config(std::string("milter listener: socket: ") + std::strerror(errno)));
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || ::listen(fd, 128) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return fail(Error::config("milter listener: cannot listen on " + impl_->options.host + ":" +
                              std::to_string(impl_->options.port) + ": " + why));
  }
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length);
  const std::uint16_t port = ntohs(bound.ss_family == AF_INET
                                       ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                       : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
  impl_->listen_fd = fd;
  impl_->acceptor = std::thread([impl = impl_] { impl->accept_loop(impl); });
  return port;
}

bool MilterListener::stop(std::chrono::milliseconds wait) {
  Impl& impl = *impl_;
  impl.stopping.store(true);
  impl.changed.notify_all();
  if (impl.acceptor.joinable()) impl.acceptor.join();
  if (impl.listen_fd >= 0) {
    ::close(impl.listen_fd);
    impl.listen_fd = -1;
  }
  std::unique_lock lock(impl.mutex);
  return impl.changed.wait_for(lock, wait, [&] { return impl.connections == 0; });
}

unsigned MilterListener::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

unsigned MilterListener::messages_in_flight() const { return impl_->messages_in_flight.load(); }

}  // namespace vigie::service::milter
