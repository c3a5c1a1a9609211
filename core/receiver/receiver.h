// The embedded HTTP receiver: accepts connections on its own threads, runs the endpoint
// contract, and answers each request once its log row is committed.
#pragma once

#include "core/base/result.h"
#include "core/receiver/receiveroptions.h"

#include <QObject>
#include <QThread>
#include <memory>
#include <vector>

namespace Hooktrail {

class ConfigCache;
class LogWriter;
class ReceiverWorker;
class Listener;
class TlsContext;

// Counters shared by the receiver's threads.
struct ReceiverStats
{
    QAtomicInteger<int> connections = 0;
    QAtomicInteger<qint64> requests = 0;
    QAtomicInteger<qint64> overloaded = 0;
    QAtomicInteger<qint64> shed = 0; // slow or idle connections closed to make room at the cap
    QAtomicInteger<qint64> tlsHandshakesTimedOut = 0;
};

class Receiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Receiver)
public:
    Receiver(LogWriter *writer, ConfigCache *config, QObject *parent = nullptr);
    ~Receiver() override;

    // Binds and starts the threads; a busy port or bad address comes back as an error.
    Status start(const ReceiverOptions &options);
    void stop();
    bool isListening() const { return m_listening; }
    quint16 port() const { return m_port; }
    // The port that speaks TLS (the main one when TLS is in its place), 0 when none does.
    quint16 tlsPort() const { return m_tlsPort; }
    // The scheme and port an endpoint's URL names: https on the TLS port when there is one.
    QString endpointScheme() const
    {
        return m_tlsPort ? QStringLiteral("https") : QStringLiteral("http");
    }
    quint16 endpointPort() const { return m_tlsPort ? m_tlsPort : m_port; }
    TlsContext *tls() const { return m_tls.get(); }
    const ReceiverOptions &options() const { return m_options; }
    const ReceiverStats &stats() const { return *m_stats; }

private:
    LogWriter *m_writer;
    ConfigCache *m_config;
    ReceiverOptions m_options;
    QString m_configuredInstance;
    std::shared_ptr<ReceiverStats> m_stats;
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<ReceiverWorker *> m_workers; // each lives on its thread
    std::vector<Listener *> m_listeners; // live on the first thread; the main one first
    std::shared_ptr<TlsContext> m_tls; // lives on the caller's thread; read by the workers
    bool m_listening = false;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
};

} // namespace Hooktrail
