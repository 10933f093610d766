# `cmake --install` and the Debian package (issue 13). Layout (GNUInstallDirs):
#   bin/sglab, bin/sglab-cli
#   share/sglab/presets/                     assets (found as ../share/sglab by the binaries)
#   share/applications/sglab.desktop         menu entry
#   share/icons/hicolor/{scalable,NxN}/apps/ icon, SVG and PNG
#   share/man/man1/sglab{,-cli}.1.gz         generated from --help by help2man
#   share/doc/sglab/                         README, copyright, changelog
include(GNUInstallDirs)

install(TARGETS sglab-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/sglab)
set(SGLAB_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/sglab)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${SGLAB_DOC_DIR})
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${PROJECT_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/packaging/changelog.gz
                   COMMAND gzip -9n -c ${PROJECT_BINARY_DIR}/packaging/changelog > ${PROJECT_BINARY_DIR}/packaging/changelog.gz
                   DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog VERBATIM)
add_custom_target(sglab_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${SGLAB_DOC_DIR})

# Man pages from the programs' own --help (help2man); skipped with a notice
# when help2man is missing (tools/setup.sh installs it), and in sanitizer
# builds, which are never installed.
if(NOT SGLAB_SANITIZE)
  find_program(SGLAB_HELP2MAN help2man)
endif()
set(SGLAB_MAN_PAGES "")
function(sglab_man_page target name_line)
  set(page ${PROJECT_BINARY_DIR}/man/${target}.1.gz)
  add_custom_command(OUTPUT ${page}
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
                     COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/make_manpage.sh ${SGLAB_HELP2MAN}
                             $<TARGET_FILE:${target}> ${name_line} ${page} ${ARGN}
                     DEPENDS ${target} ${PROJECT_SOURCE_DIR}/cmake/make_manpage.sh VERBATIM)
  add_custom_target(${target}_man ALL DEPENDS ${page})
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endfunction()
if(SGLAB_HELP2MAN)
  sglab_man_page(sglab-cli "headless runner of the synthetic-gradient lab" expert-sweep merge dag train lesson)
elseif(NOT SGLAB_SANITIZE)
  message(STATUS "help2man not found: man pages are not built (apt-get install help2man)")
endif()

if(SGLAB_BUILD_GUI)
  install(TARGETS sglab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/sglab.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  set(SGLAB_ICON_DIR ${CMAKE_INSTALL_DATADIR}/icons/hicolor)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/sglab.svg DESTINATION ${SGLAB_ICON_DIR}/scalable/apps)
  # PNG sizes rendered from the SVG at build time (librsvg2-bin's rsvg-convert).
  find_program(SGLAB_RSVG_CONVERT rsvg-convert)
  if(SGLAB_RSVG_CONVERT)
    set(pngs "")
    foreach(size 16 24 32 48 64 128 256)
      set(png ${PROJECT_BINARY_DIR}/icons/${size}/sglab.png)
      add_custom_command(OUTPUT ${png}
                         COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/icons/${size}
                         COMMAND ${SGLAB_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${PROJECT_SOURCE_DIR}/packaging/sglab.svg
                         DEPENDS ${PROJECT_SOURCE_DIR}/packaging/sglab.svg VERBATIM)
      list(APPEND pngs ${png})
      install(FILES ${png} DESTINATION ${SGLAB_ICON_DIR}/${size}x${size}/apps)
    endforeach()
    add_custom_target(sglab_icons ALL DEPENDS ${pngs})
  else()
    message(STATUS "rsvg-convert not found: PNG icons are not built (apt-get install librsvg2-bin)")
  endif()
  if(SGLAB_HELP2MAN)
    sglab_man_page(sglab "desktop app of the synthetic-gradient lab")
  endif()
endif()

include(cmake/Packaging.cmake)
