# What `cmake --install` puts beside spotd and its plugins, and the Debian package CPack builds
# from it (`cpack -G DEB` in the build folder; tests/deploy/chroot-image.sh installs it):
# the systemd unit with ExecStart at this prefix, the production example as share/spot/spot.yaml
# (the package's postinst copies it to /etc/spot/spot.yaml when there is none, so an upgrade
# never touches the operator's file; `cmake --install` writes nothing under /etc), the README.
include(GNUInstallDirs)

# The unit names the prefix of the install (CPack's /usr for the package), known only then.
install(CODE "
    file(READ \"${CMAKE_SOURCE_DIR}/deploy/systemd/spotd.service\" unit)
    string(REPLACE /usr/local \"\${CMAKE_INSTALL_PREFIX}\" unit \"\${unit}\")
    file(WRITE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system/spotd.service\" \"\${unit}\")
")
install(FILES ${CMAKE_SOURCE_DIR}/deploy/examples/production.yaml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/spot RENAME spot.yaml)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

file(WRITE ${CMAKE_BINARY_DIR}/packaging/postinst "#!/bin/sh
set -e
if [ \"$1\" = configure ] && [ ! -e /etc/spot/spot.yaml ]; then
    install -D -m 0644 /usr/share/spot/spot.yaml /etc/spot/spot.yaml
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
fi
")
file(CHMOD ${CMAKE_BINARY_DIR}/packaging/postinst PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
     GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME spot)
set(CPACK_PACKAGE_CONTACT "Spot maintainers <spot@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Statistics and configuration advice for every finished Spark run (spotd daemon)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# Dependencies from the linked libraries (dpkg-shlibdeps); libspot-core is the package's own.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/lib)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "tzdata, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/postinst)
include(CPack)
