# The Debian packages (`./dev package`, README "Installing the packages"): `hooktrail`, the
# console, and `hooktrail-server`, the headless receiver with a systemd unit, a system user and
# a private data folder. Their library dependencies come from dpkg-shlibdeps; what it cannot
# see (Qt's plugins, loaded at run time) is named here.
set(packaging ${PROJECT_SOURCE_DIR}/packaging)

# Debian wants manual pages and changelogs compressed, reproducibly (-n: no name, no time).
find_program(HOOKTRAIL_GZIP gzip)
set(compressed ${CMAKE_CURRENT_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${compressed})
add_custom_command(OUTPUT ${compressed}/hooktrail.1.gz ${compressed}/changelog.gz
    COMMAND ${HOOKTRAIL_GZIP} -9nc ${packaging}/hooktrail.1 > ${compressed}/hooktrail.1.gz
    COMMAND ${HOOKTRAIL_GZIP} -9nc ${packaging}/changelog > ${compressed}/changelog.gz
    DEPENDS ${packaging}/hooktrail.1 ${packaging}/changelog
    COMMENT "Compressing the manual page and the changelog")
add_custom_target(hooktrail_package_docs ALL
    DEPENDS ${compressed}/hooktrail.1.gz ${compressed}/changelog.gz)

install(FILES ${packaging}/hooktrail.metainfo.xml DESTINATION share/metainfo
        RENAME app.hooktrail.Hooktrail.metainfo.xml COMPONENT console)
install(FILES ${compressed}/hooktrail.1.gz DESTINATION share/man/man1 COMPONENT console)
install(FILES ${compressed}/hooktrail.1.gz DESTINATION share/man/man1
        RENAME hooktrail-server.1.gz COMPONENT server)
foreach(pair console:hooktrail server:hooktrail-server)
    string(REPLACE ":" ";" pair ${pair})
    list(GET pair 0 component)
    list(GET pair 1 package)
    install(FILES ${packaging}/copyright ${compressed}/changelog.gz
            DESTINATION share/doc/${package} COMPONENT ${component})
endforeach()
install(FILES ${packaging}/hooktrail-server.service DESTINATION /lib/systemd/system
        COMPONENT server)
install(FILES ${packaging}/hooktrail-server.conf DESTINATION /etc/hooktrail COMPONENT server)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hooktrail)
set(CPACK_PACKAGE_VENDOR "The Hooktrail authors")
# Each package's description starts with its own synopsis: an empty summary keeps CPack from
# putting the project's in front of both.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_PACKAGE_CONTACT "The Hooktrail authors <maintainers@hooktrail.app>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL console server)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME hooktrail)
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION net)
# Qt's SQLite driver and platform plugins are loaded at run time: dpkg-shlibdeps cannot see them.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS "libqt6sql6-psql, qt6-translations-l10n")
set(CPACK_COMPONENT_CONSOLE_DESCRIPTION
    "webhook receiver with a durable, searchable request history\n\
Hooktrail is a desktop console with an embedded HTTP receiver for webhooks.\n\
It keeps every request that reached the receiver, accepted or rejected, in a\n\
history that survives a crash, and makes it easy to search, export, replay\n\
and deliver onward.")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME hooktrail-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "libqt6sql6-psql")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${packaging}/server/postinst ${packaging}/server/prerm ${packaging}/server/postrm
    ${packaging}/server/conffiles)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "Hooktrail's webhook receiver as a system service\n\
The headless receiver of Hooktrail, without graphical libraries, run by\n\
systemd as the hooktrail user with its data in /var/lib/hooktrail. Every\n\
request is answered only once it is written durably; the history can be read\n\
with the hooktrail-server command or a console pointed at a shared database.")

include(CPack)
