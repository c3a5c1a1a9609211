// Errors as values at the boundaries of the core: a value or a message a user can read.
#pragma once

#include <QString>
#include <optional>
#include <utility>

namespace Hooktrail {

template<typename T> class Result
{
public:
    Result(T value) : m_value(std::move(value)) { } // NOLINT: implicit on purpose
    static Result failure(QString error) { return Result(std::move(error), 0); }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }
    const QString &error() const { return m_error; }

private:
    Result(QString error, int) : m_error(std::move(error)) { }
    std::optional<T> m_value;
    QString m_error;
};

// The outcome of an action with no value.
class Status
{
public:
    Status() = default;
    static Status failure(QString error)
    {
        Status s;
        s.m_error = std::move(error);
        return s;
    }
    bool ok() const { return m_error.isEmpty(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    QString m_error;
};

} // namespace Hooktrail
