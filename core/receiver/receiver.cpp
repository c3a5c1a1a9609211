// The embedded HTTP receiver: accepts connections on its own threads, runs the endpoint
// contract, and answers each request once its log row is committed.
#include "core/receiver/receiver.h"

#include "core/base/logging.h"
#include "core/http/listener.h"
#include "core/receiver/receiverworker.h"
#include "core/tls/tlscontext.h"

#include <QCoreApplication>
#include <QHostInfo>

namespace Hooktrail {

Receiver::Receiver(LogWriter *writer, ConfigCache *config, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_config(config)
    , m_stats(std::make_shared<ReceiverStats>())
{ }

Receiver::~Receiver()
{
    stop();
}

Status Receiver::start(const ReceiverOptions &options)
{
    stop();
    m_options = options;
    m_configuredInstance = options.instance;
    if (options.tls()) {
        Result<QSslConfiguration> configuration
            = TlsContext::load(options.tlsCertificateFile, options.tlsKeyFile);
        if (!configuration)
            return Status::failure(QCoreApplication::translate(
                "Hooktrail::Receiver", "cannot use the TLS certificate: %1")
                                       .arg(configuration.error()));
        m_tls = std::make_shared<TlsContext>(
            options.tlsCertificateFile, options.tlsKeyFile, std::move(configuration).value());
    }
    const int threads
        = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("hooktrail-http-%1").arg(i));
        thread->start();
        m_threads.push_back(std::move(thread));
    }

    // The main listener, and a TLS one beside it when asked for (ARCHITECTURE §5.8).
    struct Point
    {
        QHostAddress address;
        quint16 port;
        bool tls;
    };
    std::vector<Point> points { { options.address, options.port,
        options.tls() && !options.tlsPort } };
    if (options.tls() && options.tlsPort)
        points.push_back({ options.tlsAddress, *options.tlsPort, true });

    // Everything below runs in one go on the first receiver thread, never the caller's (GUI)
    // thread: bind, learn the port (it names this instance in the log), then create the
    // workers, before that thread's event loop can deliver the first connection.
    QString error;
    QString where;
    auto *anchor = new QObject;
    anchor->moveToThread(m_threads.front().get());
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            std::vector<Listener *> listeners;
            for (const Point &point : points) {
                auto *listener = new Listener(point.tls);
                listener->setMaxPendingConnections(std::max(128, options.maxConnections));
                // The kernel's queue of handshakes done but not yet accepted: Qt's default of
                // 50 overflows under a burst of new connections, and the overflow is accepted
                // only as the kernel retransmits (seconds later) while the sender believes it
                // is connected.
                listener->setListenBacklogSize(std::max(1024, options.maxConnections));
                if (!listener->listen(point.address, point.port)) {
                    error = listener->errorString();
                    where = QStringLiteral("%1:%2").arg(point.address.toString()).arg(point.port);
                    delete listener;
                    qDeleteAll(listeners);
                    return;
                }
                listeners.push_back(listener);
            }
            m_port = listeners.front()->serverPort();
            m_tlsPort = points.back().tls ? listeners.back()->serverPort() : 0;
            if (m_options.instance.isEmpty())
                m_options.instance
                    = QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(m_port);
            for (auto &thread : m_threads) {
                auto *worker = new ReceiverWorker(m_options, m_writer, m_config, m_stats, m_tls);
                worker->moveToThread(thread.get());
                connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
                QMetaObject::invokeMethod(worker, &ReceiverWorker::start, Qt::QueuedConnection);
                m_workers.push_back(worker);
            }
            for (Listener *listener : listeners) {
                listener->setWorkers(m_workers);
                connect(
                    m_threads.front().get(), &QThread::finished, listener, &QObject::deleteLater);
            }
            m_listeners = std::move(listeners);
        },
        Qt::BlockingQueuedConnection);
    anchor->deleteLater();

    if (m_listeners.empty()) {
        stop();
        return Status::failure(
            QCoreApplication::translate("Hooktrail::Receiver", "cannot listen on %1: %2")
                .arg(where, error));
    }
    m_listening = true;
    qCInfo(lcReceiver).noquote()
        << "listening on" << QStringLiteral("%1:%2").arg(options.address.toString()).arg(m_port)
        << (points.front().tls ? "with TLS and" : "with") << threads << "threads";
    if (points.size() > 1)
        qCInfo(lcReceiver).noquote()
            << "listening with TLS on"
            << QStringLiteral("%1:%2").arg(options.tlsAddress.toString()).arg(m_tlsPort);
    return {};
}

void Receiver::stop()
{
    for (Listener *listener : m_listeners)
        QMetaObject::invokeMethod(
            listener, [listener] { listener->close(); }, Qt::BlockingQueuedConnection);
    m_listeners.clear();
    for (ReceiverWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, "shutdown", Qt::BlockingQueuedConnection);
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_threads.clear();
    m_workers.clear();
    m_options.instance = m_configuredInstance;
    m_tls.reset();
    m_listening = false;
    m_port = 0;
    m_tlsPort = 0;
}

} // namespace Hooktrail
