// What a receiver is told at start: where to listen and the limits it enforces.
#pragma once

#include "core/model/iprange.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <optional>

namespace Hooktrail {

struct ReceiverOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8484; // 0: any free port
    qint64 maxBodyBytes = 10 * 1024 * 1024;
    qsizetype maxHeaderBytes = 64 * 1024;
    int idleTimeoutMs = 30000; // a kept-alive connection with nothing to do
    int headerTimeoutMs = 10000; // from the first byte of a request to the end of its headers
    // A body must arrive at this average rate, counted from the end of its headers once the
    // grace has passed: a body of N bytes has bodyGraceMs + N / rate to arrive, and a sender
    // that trickles a byte now and then cannot hold a connection for ever. 0: no minimum.
    int minBodyBytesPerSecond = 1024;
    int bodyGraceMs = 10000;
    int maxConnections = 1000;
    int maxPipelined = 64; // requests read ahead on one connection before their answers leave
    int threads = 0; // connection-handling threads; 0: one per core
    int retryAfterSeconds = 5;
    QString instance; // recorded with each logged request
    QList<IpRange> trustedProxies;
    // TLS (ARCHITECTURE §5.8): with a certificate and key in PEM, `port` speaks TLS 1.2+ in
    // place of plain HTTP, or, with tlsPort set, stays plain while tlsPort speaks TLS.
    QString tlsCertificateFile;
    QString tlsKeyFile;
    std::optional<quint16> tlsPort; // 0: any free port
    QHostAddress tlsAddress = QHostAddress::LocalHost;
    bool tls() const { return !tlsCertificateFile.isEmpty(); }
};

} // namespace Hooktrail
