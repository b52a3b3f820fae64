# A minimal rack app: the Ruby buildpack's default web process runs it with rackup.
run ->(_env) { [200, {'content-type' => 'text/plain'}, ["Hello from Ruby #{RUBY_VERSION}\n"]] }
