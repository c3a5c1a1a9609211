// The API keys manager of the settings page: list, create (the key shown once) and revoke.
#pragma once

#include "ui/consolecontext.h"

#include <QWidget>

class QLayout;
class QLineEdit;
class QPushButton;
class QTableView;

namespace Hooktrail {

class ApiKeyListModel;
class NewKeyPanel;
class ProblemLabel;

class KeysManager final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeysManager)
public:
    explicit KeysManager(const ConsoleContext &context, QWidget *parent = nullptr);

    ApiKeyListModel *model() const { return m_model; }

public slots:
    void refresh();
    void createKey();
    // Asks first; the key is revoked only once the user confirms.
    void revokeSelectedKey();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildKeysView();
    QLayout *buildCreateRow();
    void updateButtons();
    void showNewKey(const QString &secret, const QString &name);
    void revoke(const QString &prefix);
    int selectedRow() const;
    void setListProblem(const QString &problem);
    void setActionProblem(const QString &problem);
    void showProblems();

    ConsoleContext m_context;
    ApiKeyListModel *m_model;
    QTableView *m_view;
    QLineEdit *m_nameEdit;
    QPushButton *m_createButton;
    QPushButton *m_revokeButton;
    ProblemLabel *m_problem;
    NewKeyPanel *m_newKeyPanel;
    bool m_busy = false; // a create or revoke is on its way to the store
    QString m_listProblem; // why the list could not be read
    QString m_actionProblem; // why the last create or revoke failed
};

} // namespace Hooktrail
