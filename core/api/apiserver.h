// The local HTTP API over the history (ARCHITECTURE §5.7), on Qt HttpServer: its router, JSON
// answers and responders that answer later (long polls, event streams, replays). Local and
// authenticated; the public ingest port keeps its own framing (core/http), since Qt HttpServer
// 6.4-6.8 buffers any body and has no read timeouts. Here a guard in front of it bounds what a
// client can make it buffer.
#pragma once

#include "core/base/result.h"

#include <QHostAddress>
#include <QObject>
#include <functional>
#include <memory>

namespace Hooktrail {

class Deliverer;
class LogWriter;
class Store;
struct ReceiverStats;

struct ApiOptions
{
    static constexpr quint16 DefaultPort = 8485;
    QHostAddress address { QHostAddress::LocalHost };
    quint16 port = DefaultPort; // 0: any free port
    bool metricsNeedToken = true; // GET /metrics without a token when off
    QString endpointBase; // "http://127.0.0.1:8484": each webhook's endpoint URL starts so
    int maxStreams = 32; // long polls and event streams at once; 503 past it
    int maxConnections = 64; // 503 past it
    qint64 maxBodyBytes = 64 * 1024; // 413 past it
    qint64 maxHeadBytes = 16 * 1024; // 431 past it
};

// What the metrics and the waits read of the running receiver; each pointer (null: none)
// outlives the server.
struct ApiSources
{
    LogWriter *writer = nullptr; // its commits also wake the waits and streams at once
    const ReceiverStats *receiver = nullptr;
    const Deliverer *deliverer = nullptr;
};

class ApiServerPrivate;

// Lives on, and is used on, one thread with an event loop; it opens its own Store there.
class ApiServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiServer)
public:
    using StoreFactory = std::function<Result<std::unique_ptr<Store>>()>;
    ApiServer(StoreFactory factory, ApiSources sources, QObject *parent = nullptr);
    ~ApiServer() override;

    // Opens the store and listens; the port listened on.
    Result<quint16> listen(const ApiOptions &options);
    // Long polls and event streams open now.
    int openStreams() const;

private:
    std::unique_ptr<ApiServerPrivate> d;
};

// An ApiServer on a thread of its own, so no query of the API waits on the console's GUI
// thread or holds up the receiver's.
class ApiHost final
{
    Q_DISABLE_COPY_MOVE(ApiHost)
public:
    ApiHost(ApiServer::StoreFactory factory, ApiSources sources);
    ~ApiHost(); // stop()

    // Starts the thread and listens; blocks until it listens or cannot (why).
    Result<quint16> start(const ApiOptions &options);
    void stop();
    bool isRunning() const;
    quint16 port() const { return m_port; }

private:
    ApiServer::StoreFactory m_factory;
    ApiSources m_sources;
    std::unique_ptr<class QThread> m_thread;
    ApiServer *m_server = nullptr; // lives on m_thread
    quint16 m_port = 0;
};

} // namespace Hooktrail
