# The Debian package: `cpack --config build/CPackConfig.cmake` (tools/package.sh)
# writes sglab_<version>_amd64.deb. Depends are computed by dpkg-shlibdeps from
# the binaries' shared libraries; the DejaVu font (opened at run time, so
# invisible to dpkg-shlibdeps) is added by hand.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sglab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "sglab authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "lab for when synthetic gradients beat backpropagation")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Who answers for the package; set it when building a package for others.
set(SGLAB_DEB_MAINTAINER "sglab maintainers <sglab@example.org>" CACHE STRING "Maintainer field of the .deb")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SGLAB_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
# CPack puts the summary above these lines (the Description's synopsis).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "sglab runs the finite-partition expert network and small DAGs of the paper
'Is Backpropagation Optimal? When Synthetic Gradients Improve Sample
Efficiency' and shows when a synthetic gradient estimates the true gradient
with fewer samples than backpropagation. It has a desktop app (sglab) and a
command-line twin (sglab-cli) whose sweeps can run sharded on a cluster.")
if(SGLAB_BUILD_GUI)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "fonts-dejavu-core")
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libgl1-mesa-dri")
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
