// Reads one HTTP/1.1 response as its bytes arrive (see the header).
#include "core/http/httpresponsereader.h"

#include <QCoreApplication>

namespace Hooktrail {

namespace {

bool isBodyless(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

} // namespace

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpResponseReader::HttpResponseReader(qint64 maxBodyBytes, bool bodyless)
    : m_maxBodyBytes(maxBodyBytes), m_bodyless(bodyless)
{ }

HttpResponseReader::Status HttpResponseReader::fail(const QString &error)
{
    m_error = error;
    m_stage = Stage::Done;
    return Status::Failed;
}

HttpResponseReader::Status HttpResponseReader::feed(QByteArrayView bytes)
{
    if (m_stage == Stage::Done)
        return m_error.isEmpty() ? Status::Complete : Status::Failed;
    m_buffer.append(bytes);
    if (m_stage == Stage::Head) {
        const Status head = parseHead();
        if (head != Status::Complete || m_stage == Stage::Done)
            return head;
    }
    return parseBody();
}

HttpResponseReader::Status HttpResponseReader::finish()
{
    if (m_stage == Stage::ToClose) {
        take(m_buffer.size());
        m_stage = Stage::Done;
    }
    if (m_stage == Stage::Done)
        return m_error.isEmpty() ? Status::Complete : Status::Failed;
    return fail(m_stage == Stage::Head ? tr("The connection closed before a response came.")
                                       : tr("The connection closed before the response ended."));
}

HttpResponseReader::Status HttpResponseReader::parseHead()
{
    for (;;) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > MaxHeaderBytes)
                return fail(tr("The response's headers are larger than 64 KiB."));
            return Status::NeedMore;
        }
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QByteArray statusLine = lines.first().trimmed();
        // HTTP/1.x SP 3DIGIT SP reason
        if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || statusLine.at(8) != ' ')
            return fail(tr("The server did not answer in HTTP/1.1."));
        bool ok = false;
        const int status = statusLine.mid(9, 3).toInt(&ok);
        if (!ok || status < 100 || status > 999)
            return fail(tr("The server's status line is not valid."));
        HttpResponse response;
        response.status = status;
        response.reasonPhrase = statusLine.mid(13);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail(tr("The response has a header line that is not valid."));
            response.headers.append({ line.left(colon).trimmed(), line.mid(colon + 1).trimmed() });
        }
        m_buffer.remove(0, end + 4);
        if (status >= 100 && status < 200)
            continue; // 100 Continue and the like: the response follows
        m_response = std::move(response);
        if (m_bodyless || isBodyless(status)) {
            m_stage = Stage::Done;
            return Status::Complete;
        }
        const QByteArray transfer = m_response.header("transfer-encoding").toLower();
        if (!transfer.isEmpty()) {
            if (!transfer.trimmed().endsWith("chunked"))
                m_stage = Stage::ToClose;
            else
                m_stage = Stage::ChunkSize;
        } else if (const QByteArray length = m_response.header("content-length");
                   !length.isNull()) {
            m_remaining = length.trimmed().toLongLong(&ok);
            if (!ok || m_remaining < 0)
                return fail(tr("The response's Content-Length is not valid."));
            m_stage = Stage::Length;
        } else {
            m_stage = Stage::ToClose;
        }
        return Status::Complete;
    }
}

void HttpResponseReader::take(qsizetype count)
{
    const qint64 room = m_maxBodyBytes - m_response.body.size();
    if (count > room) {
        m_response.body.append(m_buffer.constData(), qsizetype(std::max<qint64>(room, 0)));
        m_response.bodyCut = true;
    } else {
        m_response.body.append(m_buffer.constData(), count);
    }
    m_buffer.remove(0, count);
}

HttpResponseReader::Status HttpResponseReader::parseBody()
{
    for (;;) {
        if (m_response.bodyCut) {
            m_stage = Stage::Done; // nothing more is read: the limit is the limit
            return Status::Complete;
        }
        switch (m_stage) {
        case Stage::Head:
        case Stage::Done:
            return Status::Complete;
        case Stage::ToClose:
            take(m_buffer.size());
            if (m_response.bodyCut)
                continue;
            return Status::NeedMore;
        case Stage::Length: {
            const qsizetype count = qsizetype(std::min<qint64>(m_remaining, m_buffer.size()));
            take(count);
            m_remaining -= count;
            if (m_remaining == 0)
                m_stage = Stage::Done;
            else if (!m_response.bodyCut)
                return Status::NeedMore;
            continue;
        }
        case Stage::ChunkSize: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return m_buffer.size() > 1024 ? fail(tr("The response's chunks are not valid."))
                                              : Status::NeedMore;
            QByteArray size = m_buffer.left(end);
            if (const qsizetype semicolon = size.indexOf(';'); semicolon >= 0)
                size.truncate(semicolon); // chunk extensions mean nothing here
            bool ok = false;
            m_remaining = size.trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0)
                return fail(tr("The response's chunks are not valid."));
            m_buffer.remove(0, end + 2);
            m_stage = m_remaining == 0 ? Stage::Trailer : Stage::ChunkData;
            continue;
        }
        case Stage::ChunkData: {
            const qsizetype count = qsizetype(std::min<qint64>(m_remaining, m_buffer.size()));
            take(count);
            m_remaining -= count;
            if (m_remaining > 0 && !m_response.bodyCut)
                return Status::NeedMore;
            m_stage = Stage::ChunkEnd;
            continue;
        }
        case Stage::ChunkEnd:
            if (m_buffer.size() < 2)
                return Status::NeedMore;
            if (!m_buffer.startsWith("\r\n"))
                return fail(tr("The response's chunks are not valid."));
            m_buffer.remove(0, 2);
            m_stage = Stage::ChunkSize;
            continue;
        case Stage::Trailer: {
            // Trailer fields, if any, then an empty line; they are not kept.
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0)
                return m_buffer.size() > MaxHeaderBytes
                    ? fail(tr("The response's chunks are not valid."))
                    : Status::NeedMore;
            m_buffer.remove(0, end + 2);
            if (end == 0)
                m_stage = Stage::Done;
            continue;
        }
        }
    }
}

} // namespace Hooktrail
