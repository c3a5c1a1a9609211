// The embedded HTTP receiver: accepts connections on its own threads, runs the endpoint
// contract, and answers each request once its log row is committed.
#include "receiver.h"

#include "listener.h"
#include "logging.h"
#include "receiverworker.h"

namespace Hooktrail {

Receiver::Receiver(LogWriter *writer, ConfigCache *config, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
    , m_config(config)
    , m_stats(std::make_shared<ReceiverStats>())
{
}

Receiver::~Receiver()
{
    stop();
}

Status Receiver::start(const ReceiverOptions &options)
{
    stop();
    m_options = options;
    const int threads = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());
    for (int i = 0; i < threads; ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(QStringLiteral("hooktrail-http-%1").arg(i));
        auto *worker = new ReceiverWorker(options, m_writer, m_config, m_stats);
        worker->moveToThread(thread.get());
        connect(thread.get(), &QThread::finished, worker, &QObject::deleteLater);
        thread->start();
        QMetaObject::invokeMethod(worker, "start", Qt::QueuedConnection);
        m_workers.push_back(worker);
        m_threads.push_back(std::move(thread));
    }

    // The listener lives on the first receiver thread, never on the caller's (GUI) thread.
    QString error;
    bool listening = false;
    QMetaObject::invokeMethod(m_workers.front(), [&] {
        auto *listener = new Listener(m_workers);
        listener->setMaxPendingConnections(std::max(128, options.maxConnections));
        listening = listener->listen(options.address, options.port);
        if (!listening) {
            error = listener->errorString();
            delete listener;
            return;
        }
        connect(m_threads.front().get(), &QThread::finished, listener, &QObject::deleteLater);
        m_listener = listener;
        m_port = listener->serverPort();
    }, Qt::BlockingQueuedConnection);

    if (!listening) {
        stop();
        const QString where = QStringLiteral("%1:%2").arg(options.address.toString()).arg(options.port);
        return Status::failure(QStringLiteral("cannot listen on %1: %2").arg(where, error));
    }
    m_listening = true;
    qCInfo(lcReceiver).noquote() << "listening on" << QStringLiteral("%1:%2").arg(options.address.toString()).arg(m_port)
                                 << "with" << threads << "threads";
    return {};
}

void Receiver::stop()
{
    if (m_listener) {
        QMetaObject::invokeMethod(m_listener, [this] { m_listener->close(); }, Qt::BlockingQueuedConnection);
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
    m_listening = false;
    m_port = 0;
}

} // namespace Hooktrail
