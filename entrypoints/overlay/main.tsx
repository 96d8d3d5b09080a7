import { render } from 'preact';
import { startOverlayFrame } from '../../src/ui/overlayFrame';
import '../../src/ui/theme.css';

startOverlayFrame(document.getElementById('app')!, render);
