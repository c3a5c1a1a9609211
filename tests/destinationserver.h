// A destination for delivery tests: a real HTTP server on loopback port 0, in the test's own
// thread, that keeps every request it received and answers what the test scripts (by default
// 200 with an empty body).
#pragma once

#include "core/http/httprequestparser.h"

#include <QHash>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <memory>

namespace Hooktrail::TestSupport {

class DestinationServer final : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray headers; // extra header lines, each ending in \r\n
        QByteArray body;
        int delayMs = 0; // before answering
        bool hangUp = false; // close without answering
    };
    // Called for each request with it and how many came before it.
    using Responder = std::function<Answer(const ParsedRequest &request, int index)>;

    DestinationServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                accept(socket);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QString url(const QString &path = QStringLiteral("/hooks")) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
    }
    void close() { m_server.close(); }
    void respond(Responder responder) { m_responder = std::move(responder); }

    QList<ParsedRequest> received;

private:
    struct Connection
    {
        HttpRequestParser parser;
        QByteArray buffer;
    };

    void accept(QTcpSocket *socket)
    {
        auto connection = std::make_shared<Connection>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, connection] {
            connection->buffer += socket->readAll();
            for (;;) {
                const HttpRequestParser::Status status
                    = connection->parser.parse(connection->buffer);
                if (status == HttpRequestParser::Status::HeadersComplete)
                    continue;
                if (status != HttpRequestParser::Status::Complete)
                    return;
                ParsedRequest request = connection->parser.takeRequest();
                connection->parser.reset();
                const int index = int(received.size());
                received.append(request);
                const Answer answer = m_responder ? m_responder(request, index) : Answer();
                const auto send = [socket, answer] {
                    if (answer.hangUp) {
                        socket->abort();
                        return;
                    }
                    socket->write("HTTP/1.1 " + QByteArray::number(answer.status)
                        + " Scripted\r\nContent-Length: " + QByteArray::number(answer.body.size())
                        + "\r\n" + answer.headers + "\r\n" + answer.body);
                    socket->flush();
                };
                if (answer.delayMs > 0)
                    QTimer::singleShot(answer.delayMs, socket, send);
                else
                    send();
            }
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    QTcpServer m_server;
    Responder m_responder;
};

} // namespace Hooktrail::TestSupport
