<?php
// A minimal page: the PHP buildpack's default web process serves it with PHP's built-in server.
header('Content-Type: text/plain');
echo 'Hello from PHP ' . PHP_VERSION . "\n";
