message(FATAL_ERROR
  "cmocka is not installed, so no test was built or run.\n"
  "Install Debian's package and configure again:  apt-get install libcmocka-dev")
