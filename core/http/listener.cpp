// Accepts connections and spreads them over the receiver's threads.
#include "core/http/listener.h"

#include "core/receiver/receiverworker.h"

namespace Hooktrail {

void Listener::incomingConnection(qintptr descriptor)
{
    ReceiverWorker *worker = m_workers[m_next++ % m_workers.size()];
    QMetaObject::invokeMethod(
        worker, [worker, descriptor, tls = m_tls] { worker->adopt(descriptor, tls); },
        Qt::QueuedConnection);
}

} // namespace Hooktrail
