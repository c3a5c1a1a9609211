// Accepts connections and spreads them over the receiver's threads.
#pragma once

#include <QTcpServer>
#include <vector>

namespace Hooktrail {

class ReceiverWorker;

class Listener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Listener)
public:
    // tls: its connections speak TLS (ARCHITECTURE §5.8).
    explicit Listener(bool tls) : m_tls(tls) { }
    void setWorkers(std::vector<ReceiverWorker *> workers) { m_workers = std::move(workers); }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::vector<ReceiverWorker *> m_workers;
    size_t m_next = 0;
    const bool m_tls;
};

} // namespace Hooktrail
