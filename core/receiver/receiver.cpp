// The embedded HTTP receiver: accepts connections on its own threads, runs the endpoint
// contract, and answers each request once its log row is committed.
#include "core/receiver/receiver.h"

#include "core/base/logging.h"
#include "core/http/listener.h"
#include "core/receiver/receiverworker.h"

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
    const int threads
        = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("hooktrail-http-%1").arg(i));
        thread->start();
        m_threads.push_back(std::move(thread));
    }

    // Everything below runs in one go on the first receiver thread, never the caller's (GUI)
    // thread: bind, learn the port (it names this instance in the log), then create the
    // workers, before that thread's event loop can deliver the first connection.
    QString error;
    auto *anchor = new QObject;
    anchor->moveToThread(m_threads.front().get());
    QMetaObject::invokeMethod(
        anchor,
        [&] {
            auto *listener = new Listener;
            listener->setMaxPendingConnections(std::max(128, options.maxConnections));
            // The kernel's queue of handshakes done but not yet accepted: Qt's default of 50
            // overflows under a burst of new connections, and the overflow is accepted only as
            // the kernel retransmits (seconds later) while the sender believes it is connected.
            listener->setListenBacklogSize(std::max(1024, options.maxConnections));
            if (!listener->listen(options.address, options.port)) {
                error = listener->errorString();
                delete listener;
                return;
            }
            m_port = listener->serverPort();
            if (m_options.instance.isEmpty())
                m_options.instance
                    = QStringLiteral("%1:%2").arg(QHostInfo::localHostName()).arg(m_port);
            for (auto &thread : m_threads) {
                auto *worker = new ReceiverWorker(m_options, m_writer, m_config, m_stats);
                worker->moveToThread(thread.get());
                connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
                QMetaObject::invokeMethod(worker, &ReceiverWorker::start, Qt::QueuedConnection);
                m_workers.push_back(worker);
            }
            listener->setWorkers(m_workers);
            connect(m_threads.front().get(), &QThread::finished, listener, &QObject::deleteLater);
            m_listener = listener;
        },
        Qt::BlockingQueuedConnection);
    anchor->deleteLater();

    if (!m_listener) {
        stop();
        const QString where
            = QStringLiteral("%1:%2").arg(options.address.toString()).arg(options.port);
        return Status::failure(
            QCoreApplication::translate("Hooktrail::Receiver", "cannot listen on %1: %2")
                .arg(where, error));
    }
    m_listening = true;
    qCInfo(lcReceiver).noquote()
        << "listening on" << QStringLiteral("%1:%2").arg(options.address.toString()).arg(m_port)
        << "with" << threads << "threads";
    return {};
}

void Receiver::stop()
{
    if (m_listener) {
        QMetaObject::invokeMethod(
            m_listener, [this] { m_listener->close(); }, Qt::BlockingQueuedConnection);
        m_listener = nullptr;
    }
    for (ReceiverWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, "shutdown", Qt::BlockingQueuedConnection);
    for (auto &thread : m_threads) {
        thread->quit();
        thread->wait();
    }
    m_threads.clear();
    m_workers.clear();
    m_options.instance = m_configuredInstance;
    m_listening = false;
    m_port = 0;
}

} // namespace Hooktrail
