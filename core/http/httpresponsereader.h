// Reads one HTTP/1.1 response from the bytes a connection delivers, as they arrive: the status
// line, the header fields in the order they came, and the body framed by Content-Length, by
// chunks or by the end of the connection. Limits are enforced while bytes arrive, so a server
// cannot make the console hold more than it allows.
#pragma once

#include "core/http/httprequestparser.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace Hooktrail {

struct HttpResponse
{
    int status = 0;
    QByteArray reasonPhrase;
    HeaderList headers; // as they came, names and values as bytes, in order
    QByteArray body; // decoded from chunks when chunked, never decompressed
    bool bodyCut = false; // the body went past the limit; `body` holds its first bytes

    // The first value of a header, its name compared ignoring case; null when absent.
    QByteArray header(QByteArrayView name) const;
};

class HttpResponseReader final
{
    Q_DECLARE_TR_FUNCTIONS(HttpResponseReader)
public:
    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    enum class Status { NeedMore, Complete, Failed };

    // bodyless: the answer to HEAD, which has headers only whatever they say.
    explicit HttpResponseReader(qint64 maxBodyBytes, bool bodyless = false);

    // Takes the next bytes; Complete once the response is whole (or its body reached the
    // limit), Failed with error() when the bytes are not HTTP.
    Status feed(QByteArrayView bytes);
    // The connection ended: Complete when that ends a response read to the end of the
    // connection, Failed otherwise.
    Status finish();

    const HttpResponse &response() const { return m_response; }
    const QString &error() const { return m_error; }
    bool headersDone() const { return m_stage > Stage::Head; }

private:
    enum class Stage { Head, Length, ChunkSize, ChunkData, ChunkEnd, Trailer, ToClose, Done };

    Status parseHead();
    Status parseBody();
    Status fail(const QString &error);
    void take(qsizetype count); // moves count buffered bytes into the body, within the limit

    qint64 m_maxBodyBytes;
    bool m_bodyless;
    Stage m_stage = Stage::Head;
    QByteArray m_buffer;
    qint64 m_remaining = 0; // of the body (Length) or of the chunk (ChunkData)
    HttpResponse m_response;
    QString m_error;
};

} // namespace Hooktrail
