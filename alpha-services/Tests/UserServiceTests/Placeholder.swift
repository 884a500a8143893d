// suites follow
