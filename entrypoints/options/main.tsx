import { render } from 'preact';
import { OptionsApp } from '../../src/ui/OptionsApp';
import '../../src/ui/theme.css';
import '../../src/ui/options/options.css';

render(<OptionsApp />, document.getElementById('app')!);
