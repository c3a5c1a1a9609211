// A bare non-blocking TCP socket on loopback, for the tests whose senders must hold nothing
// the test does not pass them.
#pragma once

#include "testsupport.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDeadlineTimer>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Hooktrail::TestSupport {

// A bare non-blocking socket for senders whose own buffers must not count as the receiver's
// memory (a QTcpSocket copies all that is written into the process): nothing is held here but
// what the caller passes.
class PlainSocket final
{
    Q_DISABLE_COPY_MOVE(PlainSocket)
public:
    PlainSocket() = default;
    ~PlainSocket() { close(); }

    // receiveBuffer > 0: a small kernel receive buffer, for a client that reads nothing.
    bool connectTo(quint16 port, int receiveBuffer = 0)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return false;
        if (receiveBuffer > 0)
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0)
            return false;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
        return true;
    }

    // Writes what the kernel takes within timeoutMs; the count written, -1 once the connection
    // is broken.
    qint64 send(QByteArrayView bytes, int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        qint64 written = 0;
        while (written < bytes.size()) {
            const ssize_t n = ::send(
                m_fd, bytes.data() + written, size_t(bytes.size() - written), MSG_NOSIGNAL);
            if (n > 0) {
                written += n;
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return -1;
            if (deadline.hasExpired())
                break;
            pollfd p { m_fd, POLLOUT, 0 };
            ::poll(&p, 1, int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
            if (p.revents & (POLLERR | POLLHUP))
                return -1;
        }
        return written;
    }
    bool sendAll(QByteArrayView bytes, int timeoutMs = 30000)
    {
        return send(bytes, timeoutMs) == bytes.size();
    }

    // Reads what arrives until the peer closes or timeoutMs pass; true when it closed.
    bool readUntilClosed(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        char chunk[16384];
        for (;;) {
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                m_received.append(chunk, n);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                return true;
            if (deadline.hasExpired())
                return false;
            pollfd p { m_fd, POLLIN, 0 };
            ::poll(&p, 1, int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        }
    }
    // The next answer; nullopt when none is whole within timeoutMs or the peer closed first.
    std::optional<HttpAnswer> readAnswer(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        char chunk[16384];
        for (;;) {
            if (std::optional<HttpAnswer> answer = takeAnswer(m_received))
                return answer;
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                m_received.append(chunk, n);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                || deadline.hasExpired())
                return std::nullopt;
            pollfd p { m_fd, POLLIN, 0 };
            ::poll(&p, 1, int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        }
    }
    // Without reading anything: has the peer closed or reset the connection?
    bool brokenByPeer()
    {
        pollfd p { m_fd, POLLRDHUP, 0 };
        ::poll(&p, 1, 0);
        return p.revents & (POLLRDHUP | POLLERR | POLLHUP);
    }

    QByteArray &received() { return m_received; }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    QByteArray m_received;
};

} // namespace Hooktrail::TestSupport
